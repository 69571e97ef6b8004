using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class CachePolicy
{
    /// <summary>Methods other than GET, HEAD, OPTIONS and TRACE may change state at the origin (RFC 9110 §9.2.1).</summary>
    public static bool IsUnsafe(string method) => method is not ("GET" or "HEAD" or "OPTIONS" or "TRACE");

    /// <summary>
    /// The primary keys to invalidate after a response to an unsafe request (RFC 9111 §4.4): for a 2xx or 3xx
    /// status, the target URI (<paramref name="requestKey"/>), and Location and Content-Location when they name the
    /// same host, in the same site.
    /// </summary>
    public static List<string> InvalidationKeys(string method, string requestKey, int status, HttpHeaders responseHeaders)
    {
        var keys = new List<string>(3);
        if (!IsUnsafe(method) || status < 200 || status >= 400)
        {
            return keys;
        }
        keys.Add(requestKey);
        var (prefix, requestUri) = CacheKey.SplitSite(requestKey);
        foreach (string name in (ReadOnlySpan<string>)["Location", "Content-Location"])
        {
            string? reference = responseHeaders.Get(name);
            if (reference is not null && TryResolveSameHost(requestUri, reference.Trim(), out string uri))
            {
                string key = prefix.Length == 0 ? uri : prefix + CacheKey.SiteSeparator + uri;
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }
        return keys;
    }

    /// <summary>Resolves a URI reference against the request's URI; false when it points at another host.</summary>
    private static bool TryResolveSameHost(string requestUri, string reference, out string uri)
    {
        uri = "";
        if (!Uri.TryCreate(requestUri, UriKind.Absolute, out var baseUri))
        {
            return false;
        }
        int fragment = reference.IndexOf('#', StringComparison.Ordinal);
        reference = fragment < 0 ? reference : reference[..fragment];
        int hostStart = requestUri.IndexOf("://", StringComparison.Ordinal) + 3;
        int pathStart = requestUri.IndexOf('/', hostStart);
        string requestHost = pathStart < 0 ? requestUri[hostStart..] : requestUri[hostStart..pathStart];
        if (reference.StartsWith('/') && !reference.StartsWith("//", StringComparison.Ordinal))
        {
            uri = requestUri[..(pathStart < 0 ? requestUri.Length : pathStart)] + reference;
            return true;
        }
        if (CacheKey.TrySplitAbsolute(reference, out string scheme, out string absolute, out string path))
        {
            string host = CacheKey.NormalizeHost(scheme, absolute);
            uri = string.Concat(scheme, "://", host, path);
            return host == requestHost;
        }
        // Relative paths and network-path references: let Uri apply RFC 3986 §5.2 resolution.
        if (!Uri.TryCreate(baseUri, reference, out var resolved) || (resolved.Scheme != "http" && resolved.Scheme != "https"))
        {
            return false;
        }
        string authority = CacheKey.NormalizeHost(resolved.Scheme, resolved.Authority);
        uri = string.Concat(resolved.Scheme, "://", authority, resolved.PathAndQuery);
        return authority == requestHost;
    }
}
