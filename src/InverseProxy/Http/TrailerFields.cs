namespace InverseProxy.Http;

/// <summary>
/// Which trailer fields travel on. RFC 9110 §6.5.1: a trailer must not carry what framing, routing, request
/// modifiers, authentication, response control or content processing depend on, since a recipient reads those from
/// the head alone; such fields are dropped here rather than merged or passed to a recipient that might trust them.
/// </summary>
internal static class TrailerFields
{
    private static readonly HashSet<string> s_forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        // framing and hop-by-hop
        "Content-Length", "Transfer-Encoding", "Trailer", "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE",
        // routing and request modifiers
        "Host", "Expect", "Max-Forwards", "Range", "If-Match", "If-None-Match", "If-Modified-Since",
        "If-Unmodified-Since", "If-Range", "Pragma",
        // authentication and state
        "Authorization", "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate", "Authentication-Info",
        "Proxy-Authentication-Info", "Cookie", "Set-Cookie",
        // response control data and caching
        "Cache-Control", "Age", "Expires", "Date", "Location", "Retry-After", "Vary", "Warning",
        // how the content is processed
        "Content-Type", "Content-Encoding", "Content-Range", "Content-Location", "Content-Language",
    };

    public static bool MayForward(string name) => !s_forbidden.Contains(name);

    /// <summary>The fields of <paramref name="trailers"/> that may be forwarded; null when none may.</summary>
    public static HttpHeaders? Forwardable(HttpHeaders? trailers)
    {
        if (trailers is null || trailers.Count == 0)
        {
            return null;
        }
        HttpHeaders? kept = null;
        foreach (var field in trailers)
        {
            if (MayForward(field.Name))
            {
                kept ??= new HttpHeaders(trailers.Count);
                kept.Add(field.Name, field.Value);
            }
        }
        return kept;
    }
}
