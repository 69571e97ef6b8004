using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// The response Cache-Control directives a shared cache acts on (RFC 9111 §5.2.2, RFC 5861). Parsing errs on the
/// safe side: an invalid max-age or s-maxage reads as 0 (stale, §4.2.1), a qualified private or no-cache is treated
/// like the unqualified one, and a malformed stale-* window is ignored.
/// </summary>
internal struct ResponseDirectives
{
    public bool NoStore { get; private set; }

    public bool NoCache { get; private set; }

    public bool Private { get; private set; }

    public bool Public { get; private set; }

    public TimeSpan? MaxAge { get; private set; }

    public TimeSpan? SharedMaxAge { get; private set; }

    public bool MustRevalidate { get; private set; }

    public bool ProxyRevalidate { get; private set; }

    public TimeSpan StaleWhileRevalidate { get; private set; }

    public TimeSpan StaleIfError { get; private set; }

    /// <summary>Once stale, the response must not be used without validation (§5.2.2.2, §5.2.2.8, §5.2.2.4).</summary>
    public readonly bool NeverServeStale => MustRevalidate || ProxyRevalidate || NoCache;

    public static ResponseDirectives Parse(HttpHeaders headers) => Parse(headers.GetCombined("Cache-Control"));

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
            case "public":
                d.Public = true;
                break;
            case "must-revalidate":
                d.MustRevalidate = true;
                break;
            case "proxy-revalidate":
                d.ProxyRevalidate = true;
                break;
            case "max-age" when d.MaxAge is null:
                d.MaxAge = CacheControlParser.TryParseDeltaSeconds(argument, out delta) ? delta : TimeSpan.Zero;
                break;
            case "s-maxage" when d.SharedMaxAge is null:
                d.SharedMaxAge = CacheControlParser.TryParseDeltaSeconds(argument, out delta) ? delta : TimeSpan.Zero;
                break;
            case "stale-while-revalidate" when CacheControlParser.TryParseDeltaSeconds(argument, out delta):
                d.StaleWhileRevalidate = d.StaleWhileRevalidate == TimeSpan.Zero ? delta : d.StaleWhileRevalidate;
                break;
            case "stale-if-error" when CacheControlParser.TryParseDeltaSeconds(argument, out delta):
                d.StaleIfError = d.StaleIfError == TimeSpan.Zero ? delta : d.StaleIfError;
                break;
        }
    }
}
