using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// The response Cache-Control directives a shared cache acts on (RFC 9111 §5.2.2, RFC 5861). Parsing errs on the
/// safe side: an invalid max-age or s-maxage reads as 0 (stale, §4.2.1), a qualified private or no-cache is treated
/// like the unqualified one, a malformed stale-* window is ignored, and a directive repeated with different values
/// takes the most restrictive (the shortest lifetime or window; §4.2.1 allows treating such a response as stale).
/// </summary>
internal struct ResponseDirectives
{
    private bool _staleWhileRevalidateSeen;
    private bool _staleIfErrorSeen;

    public bool NoStore { get; private set; }

    public bool NoCache { get; private set; }

    public bool Private { get; private set; }

    /// <summary>Store only in a cache that understands the status (§5.2.2.3); no-store then does not apply.</summary>
    public bool MustUnderstand { get; private set; }

    public bool Public { get; private set; }

    public TimeSpan? MaxAge { get; private set; }

    public TimeSpan? SharedMaxAge { get; private set; }

    public bool MustRevalidate { get; private set; }

    public bool ProxyRevalidate { get; private set; }

    public TimeSpan StaleWhileRevalidate { get; private set; }

    public TimeSpan StaleIfError { get; private set; }

    /// <summary>Once stale, the response must not be used without validation (§5.2.2.2, §5.2.2.8, §5.2.2.4).</summary>
    public readonly bool NeverServeStale => MustRevalidate || ProxyRevalidate || NoCache;

    /// <summary>True when the directives came from CDN-Cache-Control: Expires then does not count either.</summary>
    public bool Targeted { get; private set; }

    /// <summary>
    /// The directives for this cache: RFC 9213 §2.1, CDN-Cache-Control when present, in place of Cache-Control,
    /// which still travels on unchanged for the caches after this one.
    /// </summary>
    public static ResponseDirectives Parse(HttpHeaders headers)
    {
        string? targeted = headers.GetCombined("CDN-Cache-Control");
        if (targeted is null)
        {
            return Parse(headers.GetCombined("Cache-Control"));
        }
        var directives = Parse(targeted);
        directives.Targeted = true;
        return directives;
    }

    public static ResponseDirectives Parse(string? cacheControl)
    {
        var directives = default(ResponseDirectives);
        CacheControlParser.Parse(cacheControl, ref directives, Apply);
        return directives;
    }

    private static void Apply(ref ResponseDirectives d, string name, string? argument)
    {
        TimeSpan delta;
        switch (name)
        {
            case "no-store":
                d.NoStore = true;
                break;
            case "no-cache":
                d.NoCache = true;
                break;
            case "private":
                d.Private = true;
                break;
            case "must-understand":
                d.MustUnderstand = true;
                break;
            case "public":
                d.Public = true;
                break;
            case "must-revalidate":
                d.MustRevalidate = true;
                break;
            case "proxy-revalidate":
                d.ProxyRevalidate = true;
                break;
            case "max-age":
                d.MaxAge = Shortest(d.MaxAge, CacheControlParser.TryParseDeltaSeconds(argument, out delta) ? delta : TimeSpan.Zero);
                break;
            case "s-maxage":
                d.SharedMaxAge = Shortest(d.SharedMaxAge, CacheControlParser.TryParseDeltaSeconds(argument, out delta) ? delta : TimeSpan.Zero);
                break;
            case "stale-while-revalidate" when CacheControlParser.TryParseDeltaSeconds(argument, out delta):
                d.StaleWhileRevalidate = d._staleWhileRevalidateSeen ? Shortest(d.StaleWhileRevalidate, delta) : delta;
                d._staleWhileRevalidateSeen = true;
                break;
            case "stale-if-error" when CacheControlParser.TryParseDeltaSeconds(argument, out delta):
                d.StaleIfError = d._staleIfErrorSeen ? Shortest(d.StaleIfError, delta) : delta;
                d._staleIfErrorSeen = true;
                break;
        }
    }

    internal static TimeSpan Shortest(TimeSpan? current, TimeSpan value) =>
        current is { } c && c < value ? c : value;
}
