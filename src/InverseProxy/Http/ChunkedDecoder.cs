namespace InverseProxy.Http;

internal enum ChunkedStatus
{
    /// <summary>All input consumed; feed more bytes.</summary>
    NeedMore,

    /// <summary>A slice of body data is available at input[dataOffset..dataOffset+dataLength].</summary>
    Data,

    /// <summary>Last chunk and trailer section consumed; <see cref="ChunkedDecoder.Trailers"/> is set.</summary>
    Done,
}

/// <summary>Explicit state machine for the chunked transfer coding (RFC 9112 §7.1). Pure: never does I/O.</summary>
/// <remarks>
/// chunked-body = *chunk last-chunk trailer-section CRLF;
/// chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF. Not thread-safe: owned by one body reader.
/// </remarks>
internal sealed partial class ChunkedDecoder
{
    /// <summary>Bounds chunk-size digits so the value fits a long and parses with <c>checked</c>.</summary>
    public const int MaxChunkSizeDigits = 16;

    /// <summary>Bounds the bytes between chunk-size and CRLF: extensions are ignored, so nobody may make us read them forever.</summary>
    public const int MaxChunkExtensionBytes = 4 * 1024;

    private readonly int _maxTrailerBytes;
    private readonly int _maxHeaderCount;

    private State _state;
    private long _chunkSize;
    private int _sizeDigits;
    private int _extensionBytes;

    public ChunkedDecoder(int maxTrailerBytes = 16 * 1024, int maxHeaderCount = 100)
    {
        _maxTrailerBytes = maxTrailerBytes;
        _maxHeaderCount = maxHeaderCount;
    }

    private enum State
    {
        Size,
        SizeWhitespace,
        ExtensionNameStart,
        ExtensionName,
        ExtensionAfterName,
        ExtensionValueStart,
        ExtensionToken,
        ExtensionQuoted,
        ExtensionQuotedPair,
        ExtensionAfterValue,
        SizeLf,
        Data,
        DataCr,
        DataLf,
        TrailerLineStart,
        TrailerLine,
        TrailerLineLf,
        TrailerEndLf,
        Done,
    }

    public HttpHeaders? Trailers { get; private set; }

    public bool IsDone => _state == State.Done;

    /// <summary>Makes the decoder ready for the next message's body.</summary>
    public void Reset()
    {
        _state = State.Size;
        _chunkSize = 0;
        _sizeDigits = 0;
        _extensionBytes = 0;
        Trailers = null;
        ResetTrailerSection();
    }

    public ChunkedStatus Decode(ReadOnlySpan<byte> input, out int consumed, out int dataOffset, out int dataLength)
    {
        dataOffset = 0;
        dataLength = 0;
        int pos = 0;
        while (pos < input.Length && _state != State.Done)
        {
            if (_state == State.Data)
            {
                int n = (int)Math.Min(_chunkSize, input.Length - pos);
                dataOffset = pos;
                dataLength = n;
                _chunkSize -= n;
                if (_chunkSize == 0)
                {
                    _state = State.DataCr;
                }
                consumed = pos + n;
                return ChunkedStatus.Data;
            }
            Step(input[pos++]);
        }
        consumed = pos;
        return _state == State.Done ? ChunkedStatus.Done : ChunkedStatus.NeedMore;
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case State.Size:
                StepSize(b);
                break;
            case State.SizeWhitespace:
                StepSizeWhitespace(b);
                break;
            case >= State.ExtensionNameStart and <= State.ExtensionAfterValue:
                StepExtension(b);
                break;
            case State.SizeLf:
                ExpectLf(b, HttpParseError.BareCarriageReturn);
                _state = _chunkSize == 0 ? State.TrailerLineStart : State.Data;
                break;
            case State.DataCr:
                // RFC 9112 §7.1: chunk-data is followed by exactly CRLF; anything else means the size lied.
                _state = b == HttpChars.Cr ? State.DataLf : throw Error(
                    b == HttpChars.Lf ? HttpParseError.BareLineFeed : HttpParseError.BadChunkTerminator, b);
                break;
            case State.DataLf:
                ExpectLf(b, HttpParseError.BadChunkTerminator);
                StartNextChunk();
                break;
            default:
                StepTrailer(b);
                break;
        }
    }

    private void StartNextChunk()
    {
        _state = State.Size;
        _chunkSize = 0;
        _sizeDigits = 0;
        _extensionBytes = 0;
    }

    private static void ExpectLf(byte b, HttpParseError otherwise)
    {
        if (b != HttpChars.Lf)
        {
            throw Error(otherwise, b);
        }
    }

    private static HttpParseException Error(HttpParseError error, byte b) =>
        new(error, "unexpected byte " + HttpParseErrors.Escape([b]));
}
