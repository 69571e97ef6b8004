namespace InverseProxy.Http;

/// <summary>
/// Reads one message body, framed as decided by <see cref="BodyFramingRules"/>, as a series of data slices.
/// Each slice stays valid until the next call. Bounded by <c>maxBytes</c> (0 = unlimited) with 413, and for a
/// request body by a <see cref="MinDataRate"/> with 408.
/// </summary>
internal sealed class BodyReader
{
    private readonly MessageReader? _reader; // null only for None
    private readonly BodyFraming _framing;
    private readonly long _maxBytes;
    private readonly ChunkedDecoder? _chunked;
    private readonly MinDataRate _minRate;
    private long _remaining;
    private long _startedAt; // timestamp of the first read, for _minRate; 0 = not read yet

    private BodyReader()
    {
        _framing = BodyFraming.None;
        IsComplete = true;
    }

    public BodyReader(MessageReader reader, BodyFraming framing, long maxBytes = 0, int maxTrailerBytes = 16 * 1024, MinDataRate minRate = default)
    {
        _reader = reader;
        _minRate = minRate;
        _framing = framing;
        _maxBytes = maxBytes;
        _remaining = framing.Kind == BodyKind.ContentLength ? framing.Length : 0;
        _chunked = framing.Kind == BodyKind.Chunked ? new ChunkedDecoder(maxTrailerBytes) : null;
        IsComplete = framing.Kind == BodyKind.None;
    }

    /// <summary>
    /// The reader of every message without a body, shared: complete from the start, it never reads or changes.
    /// Most requests have no body, and a cache hit then allocates nothing for it.
    /// </summary>
    public static BodyReader None { get; } = new();

    public BodyFraming Framing => _framing;

    /// <summary>A reader for <paramref name="framing"/>: <see cref="None"/> when there is no body.</summary>
    public static BodyReader For(MessageReader reader, BodyFraming framing, long maxBytes, MinDataRate minRate = default) =>
        framing.Kind == BodyKind.None ? None : new BodyReader(reader, framing, maxBytes, minRate: minRate);

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
        if (_startedAt == 0 && !_minRate.IsOff)
        {
            _startedAt = _minRate.Time!.GetTimestamp();
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
    public void UseLargeReads() => Source.EnsureCapacity(64 * 1024);

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
        if (Source.BufferedCount == 0 && Fill() == 0)
        {
            throw new HttpParseException(HttpParseError.UnexpectedEndOfBody, $"{_remaining} bytes missing");
        }
        int take = (int)Math.Min(_remaining, Source.BufferedCount);
        data = Source.BufferedMemory[..take];
        Source.Consume(take);
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
            if (Source.BufferedCount > 0)
            {
                var buffered = Source.BufferedMemory;
                var status = _chunked!.Decode(buffered.Span, out int consumed, out int offset, out int length);
                Source.Consume(consumed);
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
            if (Fill() == 0)
            {
                throw new HttpParseException(HttpParseError.UnexpectedEndOfBody, "chunked body cut short");
            }
        }
    }

    private bool ReadToEnd(out ReadOnlyMemory<byte> data)
    {
        data = default;
        if (Source.BufferedCount == 0 && Fill() == 0)
        {
            return false;
        }
        data = Source.BufferedMemory;
        Source.Consume(data.Length);
        return true;
    }

    /// <summary>Reads more from the peer, unless it already fell behind the least rate (408, RFC 9110 §15.5.9).</summary>
    private int Fill()
    {
        if (!_minRate.IsOff && _minRate.IsBehind(_startedAt, BytesRead))
        {
            throw new HttpParseException(HttpParseError.BodyTooSlow, $"{BytesRead} bytes in {_minRate.Time!.GetElapsedTime(_startedAt).TotalSeconds:0.0}s");
        }
        return Source.Fill();
    }

    private MessageReader Source => _reader ?? throw new InvalidOperationException("A message without a body has nothing to read.");
}
