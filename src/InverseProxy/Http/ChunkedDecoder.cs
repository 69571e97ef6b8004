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
internal sealed class ChunkedDecoder
{
    public ChunkedDecoder(int maxTrailerBytes = 16 * 1024, int maxHeaderCount = 100)
    {
        _ = maxTrailerBytes;
        _ = maxHeaderCount;
    }

    public HttpHeaders? Trailers { get; private set; }

    public ChunkedStatus Decode(ReadOnlySpan<byte> input, out int consumed, out int dataOffset, out int dataLength)
    {
        throw new NotImplementedException();
    }
}
