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
/// The buffer grows as bytes arrive, doubling, and never past the declared Content-Length, whose size the last
/// step allocates exactly (pinned): a client that reads slowly holds only what has come so far, not
/// max_entry_size. Sizing it from Content-Length up front let 20 clients that did not read 8 MB responses hold
/// 160 MB.
/// </summary>
internal sealed class ResponseCapture
{
    private const int InitialSize = 16 * 1024;

    private readonly long _limit;
    private readonly long _expected;
    private byte[] _buffer;
    private int _length;

    public ResponseCapture(long limit, long expectedLength)
    {
        _limit = limit;
        _expected = expectedLength is > 0 and <= int.MaxValue && expectedLength <= limit ? expectedLength : -1;
        long first = _expected > 0 ? Math.Min(_expected, InitialSize) : Math.Min(limit, InitialSize);
        _buffer = first == _expected ? GC.AllocateArray<byte>((int)first, pinned: true) : new byte[(int)first];
    }

    /// <summary>True once the body outgrew the limit; nothing further is kept.</summary>
    public bool Overflowed { get; private set; }

    public void Append(ReadOnlyMemory<byte> data)
    {
        if (Overflowed)
        {
            return;
        }
        if (_length + (long)data.Length > _limit)
        {
            Overflowed = true;
            _buffer = Array.Empty<byte>();
            _length = 0;
            return;
        }
        if (_length + data.Length > _buffer.Length)
        {
            Grow(_length + (long)data.Length);
        }
        data.Span.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void Grow(long needed)
    {
        long size = Math.Min(_limit, Math.Max(_buffer.Length * 2L, needed));
        if (_expected > 0 && needed <= _expected)
        {
            size = Math.Min(size, _expected);
        }
        var grown = size == _expected ? GC.AllocateUninitializedArray<byte>((int)size, pinned: true) : new byte[(int)size];
        _buffer.AsSpan(0, _length).CopyTo(grown);
        _buffer = grown;
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
