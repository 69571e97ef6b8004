using System.Globalization;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// The client's request body as the forwarder sees it: absent; buffered whole (read, decoded and checked before any
/// target is contacted, so a malformed one reaches none, and sent again on a retry); or streamed from the client,
/// perhaps after a prefix read while deciding (sent once; a failure after its first byte cannot be retried).
/// </summary>
internal sealed class RequestBody
{
    public static readonly RequestBody Empty = new(BodyKind.None, null, ReadOnlyMemory<byte>.Empty, null);

    private readonly BodyKind _clientKind;

    private RequestBody(BodyKind clientKind, BodyReader? stream, ReadOnlyMemory<byte> buffered, HttpHeaders? trailers)
    {
        _clientKind = clientKind;
        Stream = stream;
        Buffered = buffered;
        Trailers = trailers;
    }

    public bool HasBody => _clientKind != BodyKind.None;

    /// <summary>The whole body when it was buffered; otherwise the decoded prefix read before it outgrew the buffer.</summary>
    public ReadOnlyMemory<byte> Buffered { get; }

    /// <summary>The client body still to be read, when it is streamed.</summary>
    public BodyReader? Stream { get; }

    /// <summary>The trailer fields of a buffered chunked body that may travel on (RFC 9110 §6.5.1); null if none.</summary>
    public HttpHeaders? Trailers { get; }

    public bool IsReplayable => Stream is null;

    /// <summary>True when the body goes upstream chunked and so cannot be read by an HTTP/1.0 target.</summary>
    public bool IsStreamedChunked => Stream is { Framing.Kind: BodyKind.Chunked };

    /// <summary>True once the streamed body started going out: the request can no longer be sent elsewhere.</summary>
    public bool Started { get; set; }

    public static RequestBody FromBuffer(ReadOnlyMemory<byte> bytes) => new(BodyKind.ContentLength, null, bytes, null);

    public static RequestBody FromStream(BodyReader reader) => new(reader.Framing.Kind, reader, ReadOnlyMemory<byte>.Empty, null);

    /// <summary>
    /// Reads a body of at most <paramref name="bufferLimit"/> decoded bytes into memory, whatever its framing; a
    /// malformed one throws <see cref="HttpParseException"/> before anything was forwarded. A larger body is streamed:
    /// at once when its Content-Length says so, after the prefix read so far when it is chunked.
    /// </summary>
    public static RequestBody Prepare(BodyReader reader, long bufferLimit)
    {
        var framing = reader.Framing;
        if (framing.Kind == BodyKind.None)
        {
            return Empty;
        }
        if (framing.Kind == BodyKind.ContentLength && framing.Length <= bufferLimit)
        {
            return new RequestBody(framing.Kind, null, ReadFixed(reader, framing.Length), null);
        }
        if (framing.Kind != BodyKind.Chunked || bufferLimit == 0)
        {
            reader.UseLargeReads();
            return FromStream(reader);
        }
        var bytes = new byte[(int)Math.Min(bufferLimit, 4096)];
        int at = 0;
        while (reader.TryRead(out var data))
        {
            if (at + data.Length > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(at + data.Length, bytes.Length * 2));
            }
            data.CopyTo(bytes.AsMemory(at));
            at += data.Length;
            if (at > bufferLimit && !reader.IsComplete)
            {
                reader.UseLargeReads();
                return new RequestBody(framing.Kind, reader, bytes.AsMemory(0, at), null);
            }
        }
        return new RequestBody(framing.Kind, null, bytes.AsMemory(0, at), TrailerFields.Forwardable(reader.Trailers));
    }

    /// <summary>
    /// Sets the framing fields of the head sent to a target (RFC 9112 §6): one Content-Length for a body sent whole
    /// (duplicate identical values collapse into it), Transfer-Encoding: chunked for a streamed chunked body and for a
    /// buffered one whose forwardable trailers go with it, which an HTTP/1.0 target does not get.
    /// </summary>
    public void Frame(HttpHeaders headers, bool targetSpeaksHttp10)
    {
        if (!HasBody)
        {
            return;
        }
        headers.Remove("Content-Length");
        headers.Remove("Transfer-Encoding");
        if (SendsChunked(targetSpeaksHttp10))
        {
            headers.Add("Transfer-Encoding", "chunked");
            return;
        }
        long length = Stream?.Framing.Length ?? Buffered.Length;
        headers.Add("Content-Length", length.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether the body leaves chunked for a target of that version (see <see cref="Frame"/>).</summary>
    public bool SendsChunked(bool targetSpeaksHttp10) =>
        IsStreamedChunked || (Stream is null && Trailers is not null && !targetSpeaksHttp10);

    private static byte[] ReadFixed(BodyReader reader, long length)
    {
        var bytes = new byte[length];
        int at = 0;
        while (reader.TryRead(out var data))
        {
            data.CopyTo(bytes.AsMemory(at));
            at += data.Length;
        }
        return bytes;
    }
}
