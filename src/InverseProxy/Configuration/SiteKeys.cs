using InverseProxy.Routing;

namespace InverseProxy.Configuration;

/// <summary>
/// The keys that exist only in a <c>[site:NAME]</c> section. A section may also set any top-level key marked
/// <see cref="OptionKey.PerSite"/>; every other key there is an error.
/// </summary>
internal static class SiteKeys
{
    public const string SectionPrefix = "site";

    public const string TemplateExpectation = "host:port with {1} standing for what the wildcard * matched, e.g. {1}.svc.internal:8080 or 127.0.0.1:{1}";

    public static IReadOnlyList<SiteKey> All { get; } =
    [
        new("hosts", "names this site answers for: exact names and *.suffix wildcards, comma-separated",
            s => string.Join(", ", s.Hosts), BindHosts),
        new("target_template", "a target made from the Host instead of a list: {1} is the label * matched",
            s => s.TargetTemplate ?? "", (s, raw, f) => s.TargetTemplate = raw.Trim()),
        new("allow_targets", "CIDRs and names a templated target must resolve into, comma-separated",
            s => s.AllowTargets.ToString(), BindAllowTargets),
        new("cache", "whether this site's responses are cached at all",
            s => ValueParsers.FormatBool(s.Cache), BindCache),
    ];

    public static SiteKey? Find(string name) =>
        All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Binds one key of a section: a site-only key onto <paramref name="site"/>, a per-site top-level key onto its
    /// settings. Returns the error line for a key a section may not hold, else null.
    /// </summary>
    public static string? Bind(SiteOptions site, string name, string raw, BindFailures failures)
    {
        if (Find(name) is { } siteKey)
        {
            siteKey.Bind(site, raw, failures);
        }
        else if (OptionKeys.Find(name) is { PerSite: true } key)
        {
            key.Bind(site.Settings, raw, failures);
        }
        else
        {
            return OptionKeys.Find(name) is null
                ? $"{Qualified(site.Name, ConfigText.Escape(name))}: unknown key"
                : $"{Qualified(site.Name, name)}: cannot be set per site (set it at top level)";
        }
        site.KeysSet.Add(name);
        return null;
    }

    /// <summary>"[site:api] ttl": how errors name a key inside a section.</summary>
    public static string Qualified(string site, string key) => $"[{SectionPrefix}:{site}] {key}";

    private static void BindHosts(SiteOptions site, string raw, BindFailures failures)
    {
        var hosts = new List<HostPattern>();
        foreach (string item in EndpointParsers.SplitList(raw))
        {
            if (HostPattern.TryParse(item, out var pattern))
            {
                hosts.Add(pattern);
            }
            else
            {
                failures.InvalidItem(item, "must be a host name, an address, or *.suffix, without a port");
            }
        }
        site.Hosts = hosts;
    }

    private static void BindAllowTargets(SiteOptions site, string raw, BindFailures failures)
    {
        var invalid = new List<string>();
        site.AllowTargets = TargetAllowList.Parse(EndpointParsers.SplitList(raw), invalid);
        foreach (string item in invalid)
        {
            failures.InvalidItem(item, "must be a CIDR like 10.0.0.0/8 or a host name suffix like svc.internal");
        }
    }

    private static void BindCache(SiteOptions site, string raw, BindFailures failures)
    {
        if (ValueParsers.TryParseBool(raw, out bool value))
        {
            site.Cache = value;
        }
        else
        {
            failures.Invalid("true or false (also on/off, yes/no, 1/0)");
        }
    }
}

/// <summary>One site-only key: its name, meaning, how to write it back and how to read it.</summary>
internal sealed record SiteKey(string Name, string Summary, Func<SiteOptions, string> Render, Action<SiteOptions, string, BindFailures> Bind);
