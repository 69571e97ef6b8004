using InverseProxy.Caching;

namespace InverseProxy.Proxy;

/// <summary>
/// Copies a relayed response body for the cache, up to a limit; past it the copy is abandoned (the client still
/// gets the whole body). Owned by one request.
///
/// A body that will be stored is allocated on the pinned object heap, which the collector never compacts or
/// copies. A stored body lives until evicted, so on the ordinary heap each one was copied by a young collection and
/// again by the next, and every collection of a cache being filled carried that work. A full 256 MB cache refilled
/// as fast as the bench origin answers (bench/memory.sh, 15 s, two runs each): total GC pause 1.9 s against
/// 1.0–1.25 s with 1 KB bodies, 2.2–2.4 s against 1.05–1.15 s with 16 KB; resident memory the same. The cost is a
/// slower allocation for each body captured: the fill's p99 with 16 KB bodies went from 9–10 ms to 15 ms.
///
/// Every byte kept beyond a small first buffer is taken from the process-wide <see cref="CaptureBudget"/>
/// (<c>max_capture_memory</c>) and given back by <see cref="Release"/>; a copy the budget cannot cover is not kept.
/// A body of declared length is allocated once, exactly, when it is known to fit: growing it by doubling as bytes
/// came left the outgrown buffers (large object heap, collected only with the oldest generation) as garbage, and 20
/// clients that did not read 8 MB responses sent whole by their origin grew the heap by 75 to 83 MB; sizing every
/// body up front without a budget had let the same 20 hold 160 MB. A body of unknown length still grows by
/// doubling, each step taken from the budget.
/// </summary>
internal sealed class ResponseCapture
{
    private const int InitialSize = 16 * 1024;

    private readonly long _limit;
    private readonly long _expected;
    private readonly CaptureBudget? _budget;
    private byte[] _buffer;
    private int _length;
    private long _taken;

    public ResponseCapture(long limit, long expectedLength, CaptureBudget? budget = null)
    {
        _limit = limit;
        _budget = budget;
        _expected = expectedLength is > 0 and <= int.MaxValue && expectedLength <= limit ? expectedLength : -1;
        if (_expected < 0)
        {
            _buffer = new byte[(int)Math.Min(limit, InitialSize)];
        }
        else if (_expected <= InitialSize || Take(_expected))
        {
            _buffer = GC.AllocateUninitializedArray<byte>((int)_expected, pinned: true);
        }
        else
        {
            _buffer = Array.Empty<byte>();
            Overflowed = true;
        }
    }

    /// <summary>True once the body outgrew the limit or the budget; nothing further is kept.</summary>
    public bool Overflowed { get; private set; }

    public void Append(ReadOnlyMemory<byte> data)
    {
        if (Overflowed)
        {
            return;
        }
        if (_length + (long)data.Length > _limit || (_length + data.Length > _buffer.Length && !Grow(_length + (long)data.Length)))
        {
            Abandon();
            return;
        }
        data.Span.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>Gives back what the copy took from the budget; once the cache has the body, or the copy is dropped.</summary>
    public void Release()
    {
        if (_taken > 0)
        {
            _budget!.Give(_taken);
            _taken = 0;
        }
    }

    private void Abandon()
    {
        Overflowed = true;
        _buffer = Array.Empty<byte>();
        _length = 0;
        Release();
    }

    /// <summary>A larger buffer for a body of unknown length (one of declared length was allocated whole).</summary>
    private bool Grow(long needed)
    {
        if (_expected > 0)
        {
            return false;
        }
        long size = Math.Min(_limit, Math.Max(_buffer.Length * 2L, needed));
        if (!Take(size))
        {
            return false;
        }
        var grown = new byte[(int)size];
        _buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
        return true;
    }

    /// <summary>Holds <paramref name="size"/> bytes of the budget (the largest buffer so far: the one replaced is garbage once copied).</summary>
    private bool Take(long size)
    {
        if (_budget is null || size <= _taken)
        {
            return true;
        }
        if (!_budget.TryTake(size - _taken))
        {
            return false;
        }
        _taken = size;
        return true;
    }

    /// <summary>The captured body; the same array when it was sized exactly from Content-Length.</summary>
    public byte[] ToArray()
    {
        if (_length == _buffer.Length)
        {
            return _buffer;
        }
        var body = GC.AllocateUninitializedArray<byte>(_length, pinned: true);
        _buffer.AsSpan(0, _length).CopyTo(body);
        return body;
    }
}
