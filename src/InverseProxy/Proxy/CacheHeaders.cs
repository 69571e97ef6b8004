using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>The cache's report on a response: <c>X-Cache</c> and the RFC 9211 <c>Cache-Status</c> field.</summary>
internal readonly record struct CacheHeaders(string? XCache, string? CacheStatus)
{
    public void AddTo(HttpHeaders headers)
    {
        if (CacheStatus is not null)
        {
            headers.Add("Cache-Status", CacheStatus);
        }
        if (XCache is not null)
        {
            headers.Add("X-Cache", XCache);
        }
    }
}
