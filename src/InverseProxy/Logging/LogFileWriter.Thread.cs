namespace InverseProxy.Logging;

/// <summary>The log-writer thread: drain the ring into the file, rotate, reopen, report drops.</summary>
internal sealed partial class LogFileWriter
{
    private const string Category = "InverseProxy.Logging.LogFileWriter";

    // Lines reach the file within this long (tail -f sees them at once to a person) while a busy proxy pays one
    // write per interval instead of a thread wake-up per request. Flush, Reopen, Dispose and a half-full ring wake it early.
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromMilliseconds(50);

    private readonly LineBuffer _notice = new();   // writer thread only
    private long _linesLost;                       // writer thread only
    private string _lastError = "";                // writer thread only

    private void Run()
    {
        // Among thousands of busy connection threads an ordinary thread gets too small a share to keep up, and the
        // ring fills and drops lines. The writer only copies the ring out and blocks, so it may run first.
        Networking.ThreadScheduling.TryUseRealTimePolicy();
        while (true)
        {
            _wake.Wait(s_flushInterval);
            _wake.Reset();
            while (WriteBatch())
            {
            }

            lock (_lock)
            {
                if (_stopping && _head == _tail)
                {
                    break;
                }
            }
        }

        _file.Dispose();
    }

    /// <summary>Writes one snapshot of the ring; true when more lines arrived meanwhile.</summary>
    private bool WriteBatch()
    {
        long tail, head, dropped;
        bool reopen;
        lock (_lock)
        {
            tail = _tail;
            head = _head;
            dropped = _droppedUnreported;
            _droppedUnreported = 0;
            reopen = _reopenRequested;
            _reopenRequested = false;
        }

        if (reopen)
        {
            _file.Close();
        }

        WriteNotices(dropped);
        if (head != tail)
        {
            WriteRing(tail, head);
        }

        lock (_lock)
        {
            _tail = head;
            Monitor.PulseAll(_lock);
            return _head != _tail;
        }
    }

    private void WriteRing(long tail, long head)
    {
        int start = (int)(tail % _ring.Length);
        int count = (int)(head - tail);
        int first = Math.Min(count, _ring.Length - start);
        ReadOnlySpan<byte> a = _ring.AsSpan(start, first);
        ReadOnlySpan<byte> b = _ring.AsSpan(0, count - first);
        if (!TryWrite(a))
        {
            _linesLost += a.Count((byte)'\n') + b.Count((byte)'\n');
            return;
        }

        if (!TryWrite(b))
        {
            _linesLost += b.Count((byte)'\n');
        }
    }

    private void WriteNotices(long dropped)
    {
        if (dropped > 0 && !TryWriteNotice(dropped, "queue full"))
        {
            lock (_lock)
            {
                _droppedUnreported += dropped;
            }
        }

        if (_linesLost > 0 && TryWriteNotice(_linesLost, "write error: " + _lastError))
        {
            _linesLost = 0;
        }
    }

    private bool TryWriteNotice(long lines, string reason)
    {
        _notice.Clear();
        _notice.AppendIsoUtc(Time.GetUtcNow());
        _notice.AppendAscii(" WARN  " + Category + "[");
        _notice.AppendInt64(LinesDroppedEventId);
        _notice.AppendAscii("] ");
        _notice.AppendInt64(lines);
        _notice.AppendAscii(" log lines dropped (");
        _notice.AppendMessage(reason);
        _notice.AppendAscii(")\n");
        return TryWrite(_notice.WrittenSpan);
    }

    /// <summary>Writes, opening the file first if a previous error closed it. Errors are counted, never thrown.</summary>
    private bool TryWrite(ReadOnlySpan<byte> lines)
    {
        if (lines.IsEmpty)
        {
            return true;
        }

        try
        {
            _file.Write(lines);
            return true;
        }
        catch (Exception ex)
        {
            // Whatever the disk or the file system says, the log must not take the proxy down: count, retry later.
            Interlocked.Increment(ref _writeErrors);
            _lastError = ex.Message;
            _file.Close();
            return false;
        }
    }
}
