using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>The request Cache-Control directives a shared cache acts on (RFC 9111 §5.2.1).</summary>
internal struct CacheRequestDirectives
{
    public bool NoCache { get; private set; }

    public bool NoStore { get; private set; }

    /// <summary>The oldest response the client accepts; an invalid argument reads as 0 (validate).</summary>
    public TimeSpan? MaxAge { get; private set; }

    /// <summary>How stale a response the client accepts; <see cref="TimeSpan.MaxValue"/> for a bare max-stale.</summary>
    public TimeSpan? MaxStale { get; private set; }

    /// <summary>How much freshness must remain for the client to accept the response.</summary>
    public TimeSpan? MinFresh { get; private set; }

    public bool OnlyIfCached { get; private set; }

    public static CacheRequestDirectives Parse(HttpHeaders headers)
    {
        var directives = default(CacheRequestDirectives);
        string? cacheControl = headers.GetCombined("Cache-Control");
        if (cacheControl is null)
        {
            // RFC 9111 §5.4: Pragma: no-cache counts only when Cache-Control is absent.
            directives.NoCache = HasPragmaNoCache(headers.GetCombined("Pragma"));
            return directives;
        }
        CacheControlParser.Parse(cacheControl, ref directives, Apply);
        return directives;
    }

    private static void Apply(ref CacheRequestDirectives d, string name, string? argument)
    {
        TimeSpan delta;
        switch (name)
        {
            case "no-cache":
                d.NoCache = true;
                break;
            case "no-store":
                d.NoStore = true;
                break;
            case "only-if-cached":
                d.OnlyIfCached = true;
                break;
            // Repeated with different values, each takes the most restrictive: the least age or staleness accepted,
            // the most freshness required.
            case "max-age":
                d.MaxAge = ResponseDirectives.Shortest(d.MaxAge, CacheControlParser.TryParseDeltaSeconds(argument, out delta) ? delta : TimeSpan.Zero);
                break;
            case "max-stale":
                if (argument is null)
                {
                    d.MaxStale ??= TimeSpan.MaxValue;
                }
                else if (CacheControlParser.TryParseDeltaSeconds(argument, out delta))
                {
                    d.MaxStale = ResponseDirectives.Shortest(d.MaxStale, delta);
                }
                break;
            case "min-fresh":
                if (CacheControlParser.TryParseDeltaSeconds(argument, out delta))
                {
                    d.MinFresh = d.MinFresh is { } m && m > delta ? m : delta;
                }
                break;
        }
    }

    private static bool HasPragmaNoCache(string? pragma)
    {
        bool found = false;
        CacheControlParser.Parse(pragma, ref found, static (ref bool f, string name, string? _) =>
        {
            f |= name == "no-cache";
        });
        return found;
    }
}
