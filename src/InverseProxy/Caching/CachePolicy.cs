using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// What a shared cache may store and for how long (RFC 9111 §3, §4.2), from the heads alone.
/// Pure: no state beyond the settings it was built with.
/// </summary>
internal sealed partial class CachePolicy
{
    // Understood statuses that are heuristically cacheable (RFC 9110 §15.1), minus 206: partial content is not stored.
    private static readonly HashSet<int> s_cacheableStatuses = [200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501];

    // Statuses this cache understands (RFC 9111 §3): stored with explicit freshness only, beside the ones above. Not
    // 206 (partial), 304 (an update), nor answers that depend on the request's own conditions or credentials
    // (401, 407, 412, 416).
    private static readonly HashSet<int> s_understoodStatuses =
        [.. s_cacheableStatuses, 302, 303, 307, 400, 403, 500, 502, 503, 504];

    private static readonly TimeSpan s_heuristicCap = TimeSpan.FromDays(1);

    private readonly long _cacheSize;
    private readonly long _maxEntrySize;
    private readonly TimeSpan _ttl;
    private readonly bool _cacheUnmarked;
    private readonly TimeSpan _maxTtl;
    private readonly bool _cacheSetCookie;

    public CachePolicy(ProxyOptions options)
    {
        _cacheSize = options.CacheSize;
        _maxEntrySize = options.MaxEntrySize;
        _ttl = options.Ttl;
        _cacheUnmarked = options.CacheUnmarked;
        _maxTtl = options.MaxTtl;
        _cacheSetCookie = options.CacheSetCookie;
    }

    public bool CacheEnabled => _cacheSize > 0;

    /// <summary>Decides whether the response to <paramref name="request"/> may be stored, and its lifetime.</summary>
    public StoreDecision Evaluate(RequestHead request, ResponseHead response, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        if (!request.IsGet)
        {
            return StoreDecision.NotStorable("method");
        }
        return EvaluateResponse(request, response, requestTime, responseTime, requireFreshness: true);
    }

    /// <summary>
    /// The storage rules apart from the method. With <paramref name="requireFreshness"/> false a zero lifetime is
    /// accepted (a refreshed entry is kept for the next validation even when the 304 made it stale at once).
    /// </summary>
    public StoreDecision EvaluateResponse(
        RequestHead request, ResponseHead response, DateTimeOffset requestTime, DateTimeOffset responseTime, bool requireFreshness)
    {
        var directives = ResponseDirectives.Parse(response.Headers);
        string? refusal = Refusal(request, response, directives);
        if (refusal is not null)
        {
            return StoreDecision.NotStorable(refusal);
        }
        // §4.2.2: heuristics (and ttl) only for heuristically cacheable statuses.
        bool explicitOnly = CarriesCredentials(request) || !s_cacheableStatuses.Contains(response.StatusCode);
        var (lifetime, source) = FreshnessLifetime(response.Headers, directives, responseTime, explicitOnly);
        if (requireFreshness && lifetime <= TimeSpan.Zero)
        {
            return StoreDecision.NotStorable("no-freshness");
        }
        var bornAt = responseTime - CorrectedInitialAge(response.Headers, requestTime, responseTime);
        return StoreDecision.Storable(source, lifetime, bornAt);
    }

    /// <summary>The first storage rule (RFC 9111 §3) the exchange breaks, or null.</summary>
    private string? Refusal(RequestHead request, ResponseHead response, ResponseDirectives directives)
    {
        var headers = response.Headers;
        return true switch
        {
            _ when !CacheEnabled => "cache-off",
            _ when CacheRequestDirectives.Parse(request.Headers).NoStore => "request-no-store",
            _ when !s_understoodStatuses.Contains(response.StatusCode) => "status",
            // §5.2.2.3: must-understand overrides no-store for a status the cache understands (checked above).
            _ when directives.NoStore && !directives.MustUnderstand => "no-store",
            _ when directives.Private => "private",
            // RFC 9111 §3.5: an authenticated request is shared only when the origin says so explicitly.
            _ when request.Headers.Contains("Authorization")
                && !(directives.Public || directives.SharedMaxAge is not null || directives.MustRevalidate) => "authorization",
            // A response to a request with cookies is often made for that user although it says nothing; it is
            // shared only when the origin says so (public or s-maxage), never on ttl or heuristic freshness.
            _ when request.Headers.Contains("Cookie") && !(directives.Public || directives.SharedMaxAge is not null) => "cookie",
            _ when !_cacheSetCookie && headers.Contains("Set-Cookie") => "set-cookie",
            _ when !VaryFields.TryGetNames(headers, out _) => "vary-star",
            _ when IsTooLarge(headers) => "too-large",
            _ => null,
        };
    }

    /// <summary>A request with Cookie or Authorization: its response gets explicit freshness only.</summary>
    private static bool CarriesCredentials(RequestHead request) =>
        request.Headers.Contains("Cookie") || request.Headers.Contains("Authorization");

    private bool IsTooLarge(HttpHeaders headers)
    {
        string? text = headers.Get("Content-Length");
        if (text is null)
        {
            return false;
        }
        // A Content-Length the framing layer accepted but we cannot read is not worth the risk.
        return !long.TryParse(text, System.Globalization.NumberStyles.None, null, out long length)
            || length > _maxEntrySize || length > _cacheSize;
    }

    private TimeSpan Capped(TimeSpan lifetime) =>
        _maxTtl > TimeSpan.Zero && lifetime > _maxTtl ? _maxTtl : lifetime;
}
