using InverseProxy.Compression;
using InverseProxy.Configuration;
using InverseProxy.Proxy.Policy;
using InverseProxy.Upstream;

namespace InverseProxy.Routing;

/// <summary>
/// One immutable version of the configuration: the settings and the sites built from them. A request reads one
/// snapshot from start to end; a reload builds the next one and swaps it in whole (see <see cref="LiveConfig"/>).
/// </summary>
internal sealed class ProxyConfig
{
    private ProxyConfig(ProxyOptions options, SiteTable sites)
    {
        Options = options;
        Sites = sites;
    }

    public ProxyOptions Options { get; }

    public SiteTable Sites { get; }

    /// <summary>
    /// Builds the sites of <paramref name="options"/>. Targets and counters of <paramref name="previous"/> that are
    /// still configured are handed over, so a reload keeps their pools, health and figures; targets no longer
    /// configured have their idle connections closed.
    /// </summary>
    public static ProxyConfig Build(ProxyOptions options, ProxyConfig? previous, UpstreamPool pool, DynamicTargetRegistry registry, TimeProvider time)
    {
        var kept = new Dictionary<(string Site, string Target), UpstreamTarget>();
        var counters = new Dictionary<string, SiteCounters>(StringComparer.Ordinal);
        var limiters = new Dictionary<string, ClientRateLimiter>(StringComparer.Ordinal);
        if (previous is not null)
        {
            foreach (var site in previous.Sites.All)
            {
                counters[site.Name] = site.Counters;
                if (site.Limiter is not null)
                {
                    limiters[site.Name] = site.Limiter;
                }
                foreach (var target in site.Targets?.Targets ?? [])
                {
                    kept[(site.Name, target.Name)] = target;
                }
            }
        }
        var sites = new List<Site>();
        var hostsFiles = new Dictionary<string, DomainSet>(StringComparer.Ordinal); // each file read once per snapshot
        var hosts = new List<(HostPattern, Site)>();
        Site? fallback = null;
        if (options.Targets.Count > 0)
        {
            fallback = Make(Site.DefaultName, options, cache: true, template: null);
            sites.Add(fallback);
        }
        foreach (var section in options.Sites)
        {
            var site = Make(section.Name, section.Settings, section.Cache, section);
            sites.Add(site);
            hosts.AddRange(section.Hosts.Select(h => (h, site)));
        }
        Site? forward = null;
        if (options.Connect || options.ForwardProxy)
        {
            // Every destination is a target made from the authority the request names, as a template "{1}" would;
            // the Host sent is that authority, whatever upstream_host the default site has.
            var settings = options.Clone();
            settings.UpstreamHost = "";
            forward = new Site(Site.ForwardName, settings, cache: true, null,
                new DynamicTargets(Site.ForwardName, "{1}", options.ForwardAllow, registry), counters.GetValueOrDefault(Site.ForwardName) ?? new SiteCounters())
            {
                Compression = CompressionRules.From(settings),
            };
            sites.Add(forward);
        }
        RetireUnused(previous, sites, pool, registry);
        return new ProxyConfig(options, new SiteTable(sites, hosts, fallback, forward));

        Site Make(string name, ProxyOptions settings, bool cache, SiteOptions? template)
        {
            var siteCounters = counters.GetValueOrDefault(name) ?? new SiteCounters();
            if (template?.TargetTemplate is { Length: > 0 } text)
            {
                return new Site(name, settings, cache, null, new DynamicTargets(name, text, template.AllowTargets, registry), siteCounters)
                {
                    Filter = RequestFilter.From(settings, LoadHosts),
                    Limiter = Limiter(name, settings),
                    Compression = CompressionRules.From(settings),
                };
            }
            var targets = settings.Targets
                .Select(t => new UpstreamTarget(t, time))
                .Select(t => kept.TryGetValue((name, t.Name), out var existing) ? existing : t)
                .ToArray();
            return new Site(name, settings, cache, new RoundRobinSelector(targets), null, siteCounters)
            {
                Filter = RequestFilter.From(settings, LoadHosts),
                Limiter = Limiter(name, settings),
                Compression = CompressionRules.From(settings),
            };
        }

        // A limiter whose settings did not change is kept, so a reload does not hand every client a full bucket.
        ClientRateLimiter? Limiter(string name, ProxyOptions settings)
        {
            if (settings.RateLimit.IsOff)
            {
                return null;
            }
            if (limiters.GetValueOrDefault(name) is { } kept && kept.Limit == settings.RateLimit && kept.Burst == settings.RateLimitBurst
                && kept.MaxClients == options.RateLimitClients)
            {
                return kept;
            }
            return new ClientRateLimiter(settings.RateLimit, settings.RateLimitBurst, options.RateLimitClients, time);
        }

        DomainSet LoadHosts(string path)
        {
            if (!hostsFiles.TryGetValue(path, out var set))
            {
                hostsFiles[path] = set = DomainSet.Load(path);
            }
            return set;
        }
    }

    private static void RetireUnused(ProxyConfig? previous, List<Site> sites, UpstreamPool pool, DynamicTargetRegistry registry)
    {
        if (previous is null)
        {
            return;
        }
        var inUse = sites.SelectMany(s => s.Targets?.Targets ?? []).ToHashSet();
        foreach (var site in previous.Sites.All)
        {
            foreach (var target in (site.Targets?.Targets ?? []).Where(t => !inUse.Contains(t)))
            {
                pool.Forget(target);
            }
            // A template or allow list may have changed: targets made under the old ones are made again on demand.
            if (site.Dynamic is not null)
            {
                registry.ForgetSite(site.Name);
            }
        }
    }
}
