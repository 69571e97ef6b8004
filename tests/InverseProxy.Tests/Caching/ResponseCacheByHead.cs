using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Proxy;

namespace InverseProxy.Tests.Caching;

/// <summary>
/// The cache addressed by request heads, as the request path addresses it: the primary key is the effective request's
/// (authority validated and normalised by <see cref="RequestAuthority"/>), for the default site.
/// </summary>
internal static class ResponseCacheByHead
{
    public static string KeyOf(RequestHead head, string scheme = "http")
    {
        var request = new ProxyRequest();
        RequestAuthority.Bind(request, head, null!, scheme);
        return request.CacheKey;
    }

    public static CacheLookup Lookup(this ResponseCache cache, RequestHead request, string scheme) =>
        cache.Lookup(KeyOf(request, scheme), request);

    public static CachedResponse? Store(this ResponseCache cache, RequestHead request, string scheme, ResponseHead response, byte[] body, StoreDecision decision) =>
        cache.Store(KeyOf(request, scheme), request, response, body, decision);

    public static CachedResponse Refresh(this ResponseCache cache, RequestHead request, string scheme, CachedResponse old, ResponseHead notModified, DateTimeOffset requestTime, DateTimeOffset responseTime) =>
        cache.Refresh(KeyOf(request, scheme), request, old, notModified, requestTime, responseTime);

    public static int Invalidate(this ResponseCache cache, string scheme, string host, string target) =>
        cache.Invalidate(KeyOf(Heads.Get(target, ("Host", host)), scheme));

    public static bool Purge(this ResponseCache cache, string scheme, string host, string target) =>
        cache.Invalidate(scheme, host, target) > 0;

    public static int InvalidateAfterUnsafe(this ResponseCache cache, RequestHead request, string scheme, int status, HttpHeaders responseHeaders) =>
        cache.InvalidateAfterUnsafe(request.Method, KeyOf(request, scheme), status, responseHeaders);
}
