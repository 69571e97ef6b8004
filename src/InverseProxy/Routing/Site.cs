using InverseProxy.Caching;
using InverseProxy.Compression;
using InverseProxy.Configuration;
using InverseProxy.Upstream;

namespace InverseProxy.Routing;

/// <summary>
/// A site as requests see it: its settings, its cache rules, and where its requests go, either its own targets
/// (round-robin, pool and health of their own) or targets made from the Host by a template. Immutable; a reload
/// builds new sites, handing over the targets and counters of the ones it keeps.
/// </summary>
internal sealed class Site
{
    /// <summary>The name of the site made from the top-level settings, for Hosts no section claims.</summary>
    public const string DefaultName = "default";

    /// <summary>The name of the site CONNECT and forward-proxied requests go to; a [site:NAME] cannot be named so.</summary>
    public const string ForwardName = "(forward)";

    public Site(string name, ProxyOptions settings, bool cache, RoundRobinSelector? targets, DynamicTargets? dynamic, SiteCounters counters)
    {
        Name = name;
        Settings = settings;
        Cache = cache;
        Targets = targets;
        Dynamic = dynamic;
        Counters = counters;
        Policy = new CachePolicy(settings);
    }

    public string Name { get; }

    /// <summary>The settings this site's requests read: top level with the section's overrides.</summary>
    public ProxyOptions Settings { get; }

    public bool Cache { get; }

    public CachePolicy Policy { get; }

    /// <summary>The configured targets; null for a templated site.</summary>
    public RoundRobinSelector? Targets { get; }

    /// <summary>The template and allow list; null for a site with a target list.</summary>
    public DynamicTargets? Dynamic { get; }

    public SiteCounters Counters { get; }

    /// <summary>The request filtering rules of <see cref="Settings"/>, compiled with the snapshot.</summary>
    public Proxy.Policy.RequestFilter Filter { get; init; } = Proxy.Policy.RequestFilter.None;

    /// <summary>The per-client token buckets of <c>rate_limit</c>; null when it is off.</summary>
    public Proxy.Policy.ClientRateLimiter? Limiter { get; init; }

    /// <summary>Which responses of this site are compressed, and how, compiled from <see cref="Settings"/>.</summary>
    public CompressionRules Compression { get; init; } = CompressionRules.Off;

    /// <summary>
    /// A key prefix that keeps this site's entries apart from every other site's: empty for the default site, whose
    /// keys stay those of a proxy without sites (and of cache files written before sites existed).
    /// </summary>
    public string KeyPrefix => Name == DefaultName ? "" : Name;
}
