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

    public HttpVersion Version { get; }

    public int StatusCode { get; }

    public string Reason { get; }

    public HttpHeaders Headers { get; }
}
