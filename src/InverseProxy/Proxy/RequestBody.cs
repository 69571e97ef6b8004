using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// The client's request body as the forwarder sees it: absent, buffered (small, so it can be sent again on a
/// retry), or streamed from the client (sent once; a failure after its first byte cannot be retried).
/// </summary>
internal sealed class RequestBody
{
    /// <summary>Bodies up to this size are read before forwarding so that a retry can send them again.</summary>
    public const int ReplayableLimit = 64 * 1024;

    public static readonly RequestBody Empty = new(null, ReadOnlyMemory<byte>.Empty, hasBody: false);

    private RequestBody(BodyReader? stream, ReadOnlyMemory<byte> buffered, bool hasBody)
    {
        Stream = stream;
        Buffered = buffered;
        HasBody = hasBody;
    }

    public bool HasBody { get; }

    /// <summary>The whole body, when it was small enough to buffer.</summary>
    public ReadOnlyMemory<byte> Buffered { get; }

    /// <summary>The client body still to be read, when it is streamed.</summary>
    public BodyReader? Stream { get; }

    public bool IsReplayable => Stream is null;

    /// <summary>True once the streamed body started going out: the request can no longer be sent elsewhere.</summary>
    public bool Started { get; set; }

    public static RequestBody FromBuffer(ReadOnlyMemory<byte> bytes) => new(null, bytes, hasBody: true);

    public static RequestBody FromStream(BodyReader reader) => new(reader, ReadOnlyMemory<byte>.Empty, hasBody: true);

    /// <summary>
    /// Reads a Content-Length body of at most <see cref="ReplayableLimit"/> bytes into memory;
    /// anything else (chunked, larger) is streamed.
    /// </summary>
    public static RequestBody Prepare(BodyReader reader)
    {
        var framing = reader.Framing;
        if (framing.Kind == BodyKind.None)
        {
            return Empty;
        }
        if (framing.Kind != BodyKind.ContentLength || framing.Length > ReplayableLimit)
        {
            reader.UseLargeReads();
            return FromStream(reader);
        }
        var bytes = new byte[framing.Length];
        int at = 0;
        while (reader.TryRead(out var data))
        {
            data.CopyTo(bytes.AsMemory(at));
            at += data.Length;
        }
        return FromBuffer(bytes);
    }
}
