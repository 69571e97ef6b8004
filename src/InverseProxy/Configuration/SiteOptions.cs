using InverseProxy.Routing;

namespace InverseProxy.Configuration;

/// <summary>
/// One <c>[site:NAME]</c> section: the hosts it answers for, where its requests go, and its own copy of the settings
/// a site may override (keys marked <see cref="OptionKey.PerSite"/>), the rest inherited from the top level.
/// </summary>
internal sealed class SiteOptions
{
    public SiteOptions(string name, ProxyOptions settings)
    {
        Name = name;
        Settings = settings;
    }

    /// <summary>A section named <paramref name="name"/> starting from the top-level settings; targets are never inherited.</summary>
    public static SiteOptions Inherit(string name, ProxyOptions top)
    {
        var settings = top.Clone();
        settings.Targets = new();
        settings.Sites = new();
        return new SiteOptions(name, settings);
    }

    public string Name { get; }

    /// <summary>The top-level settings with this section's overrides; its <c>Targets</c> are the site's own.</summary>
    public ProxyOptions Settings { get; }

    /// <summary><c>hosts</c>: exact names and <c>*.suffix</c> wildcards.</summary>
    public List<HostPattern> Hosts { get; set; } = new();

    /// <summary><c>target_template</c>: host:port with <c>{1}</c> for the label the wildcard matched; null = static targets.</summary>
    public string? TargetTemplate { get; set; }

    /// <summary><c>allow_targets</c>: CIDRs and names a templated target must resolve into; required with a template.</summary>
    public TargetAllowList AllowTargets { get; set; } = TargetAllowList.Empty;

    /// <summary><c>cache</c>: whether this site's responses are looked up and stored at all.</summary>
    public bool Cache { get; set; } = true;

    /// <summary>The keys this section set, site-only keys included, for <c>--check</c> and validation.</summary>
    public HashSet<string> KeysSet { get; } = new(StringComparer.OrdinalIgnoreCase);
}
