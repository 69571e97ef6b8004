namespace InverseProxy.Routing;

/// <summary>
/// Chooses a request's site from its normalised host: an exact name first, then the wildcard whose suffix is longest
/// (one dictionary look-up per dot in the host), then the default site made from the top-level targets, if any.
/// Immutable.
/// </summary>
internal sealed class SiteTable
{
    private readonly Dictionary<string, Site> _exact;
    private readonly Dictionary<string, Site> _wildcardBySuffix; // ".example.com" for "*.example.com"

    public SiteTable(IReadOnlyList<Site> sites, IEnumerable<(HostPattern Pattern, Site Site)> hosts, Site? fallback, Site? forward = null)
    {
        All = sites;
        Default = fallback;
        Forward = forward;
        _exact = new Dictionary<string, Site>(StringComparer.Ordinal);
        _wildcardBySuffix = new Dictionary<string, Site>(StringComparer.Ordinal);
        foreach (var (pattern, site) in hosts)
        {
            (pattern.IsWildcard ? _wildcardBySuffix : _exact)[pattern.IsWildcard ? pattern.Suffix : pattern.Text] = site;
        }
    }

    /// <summary>Every site, the default one (when there are top-level targets) first.</summary>
    public IReadOnlyList<Site> All { get; }

    /// <summary>Where a Host that no site claims goes; null when there are no top-level targets (then 421).</summary>
    public Site? Default { get; }

    /// <summary>
    /// The destinations of CONNECT and of forward-proxied requests, made from the authority each names; null when
    /// neither connect nor forward_proxy is on.
    /// </summary>
    public Site? Forward { get; }

    public bool HasSections => _exact.Count > 0 || _wildcardBySuffix.Count > 0;

    /// <summary>The site for <paramref name="host"/> (normalised, without port), and what a wildcard's <c>*</c> matched.</summary>
    public Site? Route(string host, out string? label)
    {
        label = null;
        if (!HasSections)
        {
            return Default;
        }
        if (_exact.TryGetValue(host, out var site))
        {
            return site;
        }
        // Longest suffix first: "a.b.example" tries "*.b.example", then "*.example".
        if (_wildcardBySuffix.Count > 0)
        {
            var bySuffix = _wildcardBySuffix.GetAlternateLookup<ReadOnlySpan<char>>();
            for (int dot = host.IndexOf('.'); dot > 0; dot = host.IndexOf('.', dot + 1))
            {
                if (bySuffix.TryGetValue(host.AsSpan(dot), out site))
                {
                    label = host[..dot];
                    return site;
                }
            }
        }
        return Default;
    }
}
