using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class CachePolicy
{
    /// <summary>
    /// The freshness lifetime (RFC 9111 §4.2.1) and where it came from: s-maxage, else max-age, else Expires − Date,
    /// else the Last-Modified heuristic (§4.2.2), else <c>ttl</c> when unmarked responses are cached; capped by max_ttl.
    /// With <paramref name="explicitOnly"/> (a request with credentials) neither the heuristic nor <c>ttl</c> applies.
    /// </summary>
    public (TimeSpan Lifetime, string Source) FreshnessLifetime(
        HttpHeaders headers, ResponseDirectives directives, DateTimeOffset responseTime, bool explicitOnly = false)
    {
        if (directives.SharedMaxAge is { } sMaxAge)
        {
            return (Capped(sMaxAge), "s-maxage");
        }
        if (directives.MaxAge is { } maxAge)
        {
            return (Capped(maxAge), "max-age");
        }
        DateTimeOffset date = HttpDate.TryParse(headers.Get("Date"), out var d) ? d : responseTime;
        string? expires = directives.Targeted ? null : headers.Get("Expires");
        if (expires is not null)
        {
            // §5.3: an invalid Expires, such as "0", means already expired.
            var lifetime = HttpDate.TryParseStrict(expires, out var e) && e > date ? e - date : TimeSpan.Zero;
            return (Capped(lifetime), "expires");
        }
        if (explicitOnly)
        {
            return (TimeSpan.Zero, "no-freshness");
        }
        if (HttpDate.TryParse(headers.Get("Last-Modified"), out var lastModified) && lastModified < date)
        {
            var heuristic = TimeSpan.FromTicks((date - lastModified).Ticks / 10);
            return (Capped(heuristic > s_heuristicCap ? s_heuristicCap : heuristic), "heuristic");
        }
        if (_cacheUnmarked)
        {
            return (Capped(_ttl), "ttl");
        }
        return (TimeSpan.Zero, "no-freshness");
    }

    /// <summary>
    /// corrected_initial_age (RFC 9111 §4.2.3): the larger of the apparent age (response time − Date) and the Age
    /// field plus the response delay.
    /// </summary>
    public static TimeSpan CorrectedInitialAge(HttpHeaders headers, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        var apparentAge = HttpDate.TryParse(headers.Get("Date"), out var date) && responseTime > date
            ? responseTime - date
            : TimeSpan.Zero;
        var ageValue = TryParseAge(headers.GetCombined("Age"), out var age) ? age : TimeSpan.Zero;
        var responseDelay = responseTime > requestTime ? responseTime - requestTime : TimeSpan.Zero;
        var correctedAgeValue = ageValue + responseDelay;
        return apparentAge > correctedAgeValue ? apparentAge : correctedAgeValue;
    }

    /// <summary>
    /// RFC 9111 §5.1: of a list the first member counts; a value that is not a non-negative integer is ignored.
    /// </summary>
    private static bool TryParseAge(string? value, out TimeSpan age)
    {
        int comma = value?.IndexOf(',', StringComparison.Ordinal) ?? -1;
        string? first = comma < 0 ? value : value![..comma];
        return CacheControlParser.TryParseDeltaSeconds(first?.Trim(' ', '\t'), out age);
    }

    /// <summary>How a stored response answers a request at <paramref name="now"/> (RFC 9111 §4.2, §5.2.1).</summary>
    public static CacheLookupKind Classify(CachedResponse entry, CacheRequestDirectives request, DateTimeOffset now)
    {
        if (entry.AlwaysRevalidate || request.NoCache || request.MaxAge == TimeSpan.Zero)
        {
            return CacheLookupKind.MustRevalidate;
        }
        var age = entry.AgeAt(now);
        if (request.MaxAge is { } maxAge && age > maxAge)
        {
            return CacheLookupKind.Stale;
        }
        var remaining = entry.ExpiresAt - now;
        if (remaining > TimeSpan.Zero)
        {
            return request.MinFresh is { } minFresh && remaining < minFresh ? CacheLookupKind.Stale : CacheLookupKind.Fresh;
        }
        // §5.2.1.2: the client accepts this much staleness, unless the origin forbade serving it stale.
        bool clientAcceptsStale = request.MaxStale is { } maxStale && -remaining <= maxStale && request.MinFresh is null;
        return clientAcceptsStale && !entry.MustRevalidate ? CacheLookupKind.Fresh : CacheLookupKind.Stale;
    }

    /// <summary>True while a stale entry is within <paramref name="window"/> past its expiry and may be served stale.</summary>
    public static bool WithinStaleWindow(CachedResponse entry, TimeSpan window, DateTimeOffset now) =>
        !entry.MustRevalidate && window > TimeSpan.Zero && now - entry.ExpiresAt <= window;
}
