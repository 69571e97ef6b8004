namespace InverseProxy.Http;

/// <summary>A parsed status line and header section (RFC 9112 §4).</summary>
internal sealed class ResponseHead
{
    public ResponseHead(HttpVersion version, int statusCode, string reason, HttpHeaders headers)
    {
        Version = version;
        StatusCode = statusCode;
        Reason = reason;
        Headers = headers;
    }

    public HttpVersion Version { get; private set; }

    public int StatusCode { get; private set; }

    public string Reason { get; private set; }

    public HttpHeaders Headers { get; }

    /// <summary>Makes this head the next response's (see <see cref="MessageReader.ReuseResponseHeads"/>).</summary>
    internal void Reuse(HttpVersion version, int statusCode, string reason)
    {
        Version = version;
        StatusCode = statusCode;
        Reason = reason;
    }
}
