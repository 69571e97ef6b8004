namespace InverseProxy.Http;

/// <summary>A parsed request line and header section (RFC 9112 §3, §5).</summary>
internal sealed class RequestHead
{
    public RequestHead(string method, string target, HttpVersion version, HttpHeaders headers)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
    }

    /// <summary>The method token, case-sensitive as sent (RFC 9110 §9.1).</summary>
    public string Method { get; set; }

    /// <summary>The request-target as sent: origin-form (/path?q), absolute-form, authority-form or "*".</summary>
    public string Target { get; set; }

    public HttpVersion Version { get; private set; }

    public HttpHeaders Headers { get; }

    public bool IsHead => Method == "HEAD";

    public bool IsGet => Method == "GET";

    /// <summary>Makes this head the next request's (see <see cref="HttpHeadParser"/>); its fields are refilled there.</summary>
    internal void Reuse(string method, string target, HttpVersion version)
    {
        Method = method;
        Target = target;
        Version = version;
    }
}
