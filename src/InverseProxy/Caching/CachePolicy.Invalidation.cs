using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class CachePolicy
{
    /// <summary>Methods other than GET, HEAD, OPTIONS and TRACE may change state at the origin (RFC 9110 §9.2.1).</summary>
    public static bool IsUnsafe(string method) => method is not ("GET" or "HEAD" or "OPTIONS" or "TRACE");

    /// <summary>
    /// The primary keys to invalidate after a response to an unsafe request (RFC 9111 §4.4): for a 2xx or 3xx
    /// status, the target URI, and Location and Content-Location when they name the same host.
    /// </summary>
    public static List<string> InvalidationKeys(RequestHead request, string scheme, int status, HttpHeaders responseHeaders)
    {
        var keys = new List<string>(3);
        if (!IsUnsafe(request.Method) || status < 200 || status >= 400)
        {
            return keys;
        }
        string requestKey = CacheKey.Primary(request, scheme);
        keys.Add(requestKey);
        foreach (string name in (ReadOnlySpan<string>)["Location", "Content-Location"])
        {
            string? reference = responseHeaders.Get(name);
            if (reference is not null && TryResolveSameHost(requestKey, reference.Trim(), out string key) && !keys.Contains(key))
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    /// <summary>Resolves a URI reference against the request's key; false when it points at another host.</summary>
    private static bool TryResolveSameHost(string requestKey, string reference, out string key)
    {
        key = "";
        int hostStart = requestKey.IndexOf("://", StringComparison.Ordinal) + 3;
        int pathStart = requestKey.IndexOf('/', hostStart);
        string requestHost = pathStart < 0 ? requestKey[hostStart..] : requestKey[hostStart..pathStart];
        int fragment = reference.IndexOf('#', StringComparison.Ordinal);
        reference = fragment < 0 ? reference : reference[..fragment];
        if (reference.StartsWith('/') && !reference.StartsWith("//", StringComparison.Ordinal))
        {
            key = requestKey[..(pathStart < 0 ? requestKey.Length : pathStart)] + reference;
            return true;
        }
        if (CacheKey.TrySplitAbsolute(reference, out string scheme, out string authority, out string path))
        {
            key = CacheKey.Primary(scheme, authority, path);
            return CacheKey.NormalizeHost(scheme, authority) == requestHost;
        }
        // Relative paths and network-path references: let Uri apply RFC 3986 §5.2 resolution.
        if (!Uri.TryCreate(requestKey, UriKind.Absolute, out var baseUri)
            || !Uri.TryCreate(baseUri, reference, out var resolved)
            || (resolved.Scheme != "http" && resolved.Scheme != "https"))
        {
            return false;
        }
        key = CacheKey.Primary(resolved.Scheme, resolved.Authority, resolved.PathAndQuery);
        return CacheKey.NormalizeHost(resolved.Scheme, resolved.Authority) == requestHost;
    }
}
