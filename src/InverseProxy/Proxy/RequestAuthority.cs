using InverseProxy.Http;
using InverseProxy.Routing;

namespace InverseProxy.Proxy;

/// <summary>
/// Stage 2 of the request path: the request's authority, before anything else reads it (RFC 9112 §3.2–3.3). Host must
/// be one valid host[:port]; an absolute-form target's authority overrides it (Host is then replaced upstream), and
/// userinfo there is refused. Throws <see cref="HttpParseException"/> (400) for anything else.
/// </summary>
internal static class RequestAuthority
{

    /// <summary>Validates <paramref name="head"/>'s authority and fills <paramref name="request"/> with the effective request.</summary>
    public static void Bind(ProxyRequest request, RequestHead head, ProxyConfig config, string scheme)
    {
        int defaultPort = scheme == "https" ? 443 : 80;
        string? host = head.Headers.Get("Host");
        // The parser already refused a second Host and a missing one on HTTP/1.1; HTTP/1.0 may still lack it.
        string authority = "";
        int hostLength = 0;
        if (host is not null && !request.TryRecallHost(host, defaultPort, out authority, out hostLength))
        {
            if (!Authority.TryNormalize(host, defaultPort, out authority, out hostLength))
            {
                throw new HttpParseException(HttpParseError.InvalidHost, Escape(host));
            }
            request.RememberHost(host, defaultPort, authority, hostLength);
        }
        string target = head.Target;
        // RFC 9112 §3.2: a request-target carries no fragment; one would split a resource's key in two.
        if (target.Contains('#', StringComparison.Ordinal))
        {
            throw new HttpParseException(HttpParseError.InvalidRequestTarget, Escape(target));
        }
        string pathAndQuery = target;
        if (head.Method == "CONNECT")
        {
            // authority-form (RFC 9112 §3.2.3): the target names the authority; no default port to drop.
            if (!Authority.TryNormalize(target, -1, out authority, out hostLength))
            {
                throw new HttpParseException(HttpParseError.InvalidRequestTarget, Escape(target));
            }
            pathAndQuery = "";
        }
        else if (target.Length > 0 && target[0] != '/' && target != "*")
        {
            (authority, hostLength, pathAndQuery) = SplitAbsolute(target, scheme, defaultPort);
        }
        // A keep-alive client repeating its Host gets the host part of the last request again, not a new substring.
        string hostPart = ReferenceEquals(authority, request.Authority) ? request.Host : Authority.HostOf(authority, hostLength);
        request.Bind(head, config, scheme, authority, hostPart, pathAndQuery);
    }

    /// <summary>absolute-form "http://host:port/p?q" (RFC 9112 §3.2.2): its authority, validated, and "/p?q".</summary>
    private static (string Authority, int HostLength, string PathAndQuery) SplitAbsolute(string target, string scheme, int defaultPort)
    {
        int sep = target.IndexOf("://", StringComparison.Ordinal);
        // The parser admits http and https only; a request on a plain connection cannot ask for https.
        if (sep < 0 || !target.AsSpan(0, sep).Equals(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpParseException(HttpParseError.InvalidRequestTarget, Escape(target));
        }
        int start = sep + 3;
        int end = target.IndexOfAny(['/', '?'], start);
        string raw = end < 0 ? target[start..] : target[start..end];
        // Userinfo would be dropped from the key but could travel on in Host: refused (RFC 9110 §4.2.4 deprecates it).
        if (raw.Contains('@', StringComparison.Ordinal) || !Authority.TryNormalize(raw, defaultPort, out string authority, out int hostLength))
        {
            throw new HttpParseException(HttpParseError.InvalidHost, Escape(raw));
        }
        string path = end < 0 ? "/" : target[end] == '?' ? "/" + target[end..] : target[end..];
        return (authority, hostLength, path);
    }

    private static string Escape(string text) => HttpParseErrors.Escape(System.Text.Encoding.Latin1.GetBytes(text));
}
