using InverseProxy.Configuration;

namespace InverseProxy.Logging;

/// <summary>
/// The single owner of the log file. Producers copy finished lines into a bounded byte ring and never touch
/// the disk; one background thread ("log-writer") writes everything queued with as few syscalls as the ring's
/// wrap allows, so <c>tail -f</c> sees a line as soon as that thread wakes. When the ring is full a line is
/// dropped and counted, and the count is written as a line of its own in the next batch.
/// </summary>
internal sealed partial class LogFileWriter : IDisposable
{
    public const int DefaultQueueBytes = 8 * 1024 * 1024;

    /// <summary>Event id of the writer's own warnings (dropped or lost lines); see Log.Lifecycle.cs.</summary>
    public const int LinesDroppedEventId = 1090;

    private static readonly TimeSpan s_disposeWait = TimeSpan.FromSeconds(5);

    private readonly object _lock = new();

    // Bytes [_tail, _head) (positions modulo the length) are queued lines, each ending in '\n'. Producers append at
    // _head under _lock; the writer reads [_tail, head snapshot) outside the lock, then moves _tail under _lock.
    private readonly byte[] _ring;
    private long _head;                 // guarded by _lock
    private long _tail;                 // guarded by _lock; written only by the writer thread
    private long _droppedUnreported;    // guarded by _lock
    private long _droppedTotal;         // guarded by _lock
    private bool _reopenRequested;      // guarded by _lock
    private bool _stopping;             // guarded by _lock

    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0); // a real-time thread must not spin for work
    private readonly LogFile _file;     // owned by the writer thread once started
    private readonly Thread _thread;
    private long _writeErrors;          // Interlocked
    private int _disposed;              // Interlocked

    public LogFileWriter(string path, long maxSize, int keep, TimeProvider time)
        : this(path, maxSize, keep, time, DefaultQueueBytes, startWriter: true)
    {
    }

    /// <param name="queueBytes">Ring size: the most bytes of lines waiting for the disk.</param>
    /// <param name="startWriter">false leaves the writer thread unstarted until <see cref="Start"/> (tests).</param>
    internal LogFileWriter(string path, long maxSize, int keep, TimeProvider time, int queueBytes, bool startWriter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueBytes, 64);
        Time = time;
        Path = System.IO.Path.GetFullPath(path);
        _ring = new byte[queueBytes];
        _file = new LogFile(Path, maxSize, keep);
        try
        {
            _file.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new IOException($"cannot open log file '{Path}': {ex.Message}", ex);
        }

        _thread = new Thread(Run) { Name = "log-writer", IsBackground = true };
        if (startWriter)
        {
            _thread.Start();
        }
    }

    /// <summary>The full path of the log file.</summary>
    public string Path { get; }

    /// <summary>The clock used for the timestamps of lines formatted for this file.</summary>
    public TimeProvider Time { get; }

    /// <summary>Lines refused because the queue was full (or the writer was disposed), since start.</summary>
    public long DroppedLines
    {
        get
        {
            lock (_lock)
            {
                return _droppedTotal;
            }
        }
    }

    /// <summary>Failed writes, opens and rotations, since start.</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors) + _file.RotationFailures;

    public static LogFileWriter Open(ProxyOptions options, TimeProvider time) =>
        new(options.PathToLog, options.LogMaxSize, options.LogKeep, time);

    internal void Start() => _thread.Start();

    /// <summary>Queues one line (without its line break). Never blocks on the disk; false = dropped.</summary>
    public bool TryWriteLine(ReadOnlySpan<byte> utf8Line)
    {
        int need = utf8Line.Length + 1;
        bool urgent;
        lock (_lock)
        {
            if (_stopping || need > _ring.Length - (_head - _tail))
            {
                _droppedUnreported++;
                _droppedTotal++;
                return false;
            }

            CopyIntoRing(utf8Line);
            urgent = _head - _tail > _ring.Length / 2;
        }

        // The writer drains on its own every FlushInterval, so a request costs no wake-up; only a filling ring does.
        if (urgent)
        {
            _wake.Set();
        }

        return true;
    }

    /// <summary>Queues one line of text, encoded as UTF-8.</summary>
    public bool TryWriteLine(string line)
    {
        LineBuffer buffer = LineBuffer.Acquire();
        try
        {
            buffer.AppendUtf8(line);
            return TryWriteLine(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Release();
        }
    }

    /// <summary>
    /// Closes and reopens the file at <see cref="Path"/> on the writer thread (after logrotate moved it away).
    /// Every line queued after this call returns goes to the reopened file.
    /// </summary>
    public void Reopen()
    {
        lock (_lock)
        {
            _reopenRequested = true;
        }

        _wake.Set();
    }

    /// <summary>Waits until every line queued before the call has been handed to the file. False on timeout.</summary>
    public bool Flush(TimeSpan timeout)
    {
        _wake.Set();
        lock (_lock)
        {
            long target = _head;
            while (_tail < target)
            {
                if (!Monitor.Wait(_lock, timeout))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Writes what is queued (waiting a bounded time), stops the writer thread and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_lock)
        {
            _stopping = true;
        }

        _wake.Set();
        if (_thread.ThreadState.HasFlag(ThreadState.Unstarted))
        {
            _file.Dispose();
            return;
        }

        // A writer stuck on a dead disk is a background thread; leave it rather than hang shutdown.
        _thread.Join(s_disposeWait);
    }

    private void CopyIntoRing(ReadOnlySpan<byte> line)
    {
        int start = (int)(_head % _ring.Length);
        int first = Math.Min(line.Length, _ring.Length - start);
        Span<byte> a = _ring.AsSpan(start, first);
        Span<byte> b = _ring.AsSpan(0, line.Length - first);
        line[..first].CopyTo(a);
        line[first..].CopyTo(b);

        // A line break inside a line would let its content pose as a line of its own.
        if (line.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            a.Replace((byte)'\n', (byte)' ');
            a.Replace((byte)'\r', (byte)' ');
            b.Replace((byte)'\n', (byte)' ');
            b.Replace((byte)'\r', (byte)' ');
        }

        _ring[(int)((_head + line.Length) % _ring.Length)] = (byte)'\n';
        _head += line.Length + 1;
    }
}
