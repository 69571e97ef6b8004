namespace InverseProxy.Http;

/// <summary>
/// Reads one message body, framed as decided by <see cref="BodyFramingRules"/>, as a series of data slices.
/// Each slice stays valid until the next call. Bounded by <c>maxBytes</c> (0 = unlimited) with 413.
/// </summary>
internal sealed class BodyReader
{
    private readonly MessageReader _reader;
    private readonly BodyFraming _framing;
    private readonly long _maxBytes;
    private readonly ChunkedDecoder? _chunked;
    private long _remaining;

    public BodyReader(MessageReader reader, BodyFraming framing, long maxBytes = 0, int maxTrailerBytes = 16 * 1024)
    {
        _reader = reader;
        _framing = framing;
        _maxBytes = maxBytes;
        _remaining = framing.Kind == BodyKind.ContentLength ? framing.Length : 0;
        _chunked = framing.Kind == BodyKind.Chunked ? new ChunkedDecoder(maxTrailerBytes) : null;
        IsComplete = framing.Kind == BodyKind.None;
    }

    public BodyFraming Framing => _framing;

    public bool IsComplete { get; private set; }

    /// <summary>Decoded body bytes returned so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The trailer section of a chunked body, once it is complete.</summary>
    public HttpHeaders? Trailers => _chunked?.Trailers;

    /// <summary>Returns the next slice of body data, or false once the body is complete.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> data)
    {
        data = default;
        if (IsComplete)
        {
            return false;
        }
        bool more = _framing.Kind switch
        {
            BodyKind.ContentLength => ReadFixed(out data),
            BodyKind.Chunked => ReadChunked(out data),
            _ => ReadToEnd(out data),
        };
        if (!more)
        {
            IsComplete = true;
            return false;
        }
        BytesRead += data.Length;
        if (_maxBytes > 0 && BytesRead > _maxBytes)
        {
            throw new HttpParseException(HttpParseError.BodyTooLarge);
        }
        return true;
    }

    /// <summary>Lets a large body be read in bigger slices (fewer system calls) than the head-sized default.</summary>
    public void UseLargeReads() => _reader.EnsureCapacity(64 * 1024);

    /// <summary>Reads and discards the rest of the body.</summary>
    public void Drain()
    {
        while (TryRead(out _))
        {
        }
    }

    private bool ReadFixed(out ReadOnlyMemory<byte> data)
    {
        data = default;
        if (_remaining == 0)
        {
            return false;
        }
        if (_reader.BufferedCount == 0 && _reader.Fill() == 0)
        {
            throw new HttpParseException(HttpParseError.UnexpectedEndOfBody, $"{_remaining} bytes missing");
        }
        int take = (int)Math.Min(_remaining, _reader.BufferedCount);
        data = _reader.BufferedMemory[..take];
        _reader.Consume(take);
        _remaining -= take;
        // Known length: the body is complete with its last byte, without waiting for one more call.
        IsComplete = _remaining == 0;
        return true;
    }

    private bool ReadChunked(out ReadOnlyMemory<byte> data)
    {
        data = default;
        while (true)
        {
            if (_reader.BufferedCount > 0)
            {
                var buffered = _reader.BufferedMemory;
                var status = _chunked!.Decode(buffered.Span, out int consumed, out int offset, out int length);
                _reader.Consume(consumed);
                if (status == ChunkedStatus.Data)
                {
                    data = buffered.Slice(offset, length);
                    return true;
                }
                if (status == ChunkedStatus.Done)
                {
                    return false;
                }
            }
            if (_reader.Fill() == 0)
            {
                throw new HttpParseException(HttpParseError.UnexpectedEndOfBody, "chunked body cut short");
            }
        }
    }

    private bool ReadToEnd(out ReadOnlyMemory<byte> data)
    {
        data = default;
        if (_reader.BufferedCount == 0 && _reader.Fill() == 0)
        {
            return false;
        }
        data = _reader.BufferedMemory;
        _reader.Consume(data.Length);
        return true;
    }
}
