namespace InverseProxy.Proxy;

/// <summary>
/// Copies a relayed response body for the cache, up to a limit; past it the copy is abandoned (the client still
/// gets the whole body). Owned by one request.
/// </summary>
internal sealed class ResponseCapture
{
    private readonly long _limit;
    private byte[] _buffer;
    private int _length;

    public ResponseCapture(long limit, long expectedLength)
    {
        _limit = limit;
        _buffer = expectedLength is > 0 and <= int.MaxValue && expectedLength <= limit
            ? new byte[expectedLength]
            : new byte[(int)Math.Min(limit, 16 * 1024)];
    }

    /// <summary>Called once with the whole body when it is known complete (see <see cref="Complete"/>).</summary>
    public Action<byte[]>? Completed { get; set; }

    /// <summary>Set by <see cref="Completed"/> when the cache took the body.</summary>
    public bool Stored { get; set; }

    /// <summary>True once <see cref="Completed"/> has run.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>
    /// Marks the body complete and hands it to <see cref="Completed"/>, once. The relay calls this before its last
    /// write when it can, so a client that asks again right after the response finds the entry already stored.
    /// </summary>
    public void Complete()
    {
        if (IsCompleted || Overflowed)
        {
            return;
        }
        IsCompleted = true;
        Completed?.Invoke(ToArray());
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
            Array.Resize(ref _buffer, (int)Math.Min(_limit, Math.Max(_buffer.Length * 2L, _length + (long)data.Length)));
        }
        data.Span.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>The captured body; the same array when it was sized exactly from Content-Length.</summary>
    public byte[] ToArray() => _length == _buffer.Length ? _buffer : _buffer.AsSpan(0, _length).ToArray();
}
