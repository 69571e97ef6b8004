using System.Net;

namespace InverseProxy.Configuration;

/// <summary>The checks of one <c>[site:NAME]</c> section, and of the sites together, in the validator's one-line style.</summary>
internal static class SiteValidator
{
    private static readonly string[] s_cacheKeys = ["ttl", "max_ttl", "max_entry_size"];

    public static void Check(List<string> errors, SiteOptions site, IReadOnlySet<string> unparsed)
    {
        var check = new OptionChecker(site.Settings, unparsed, site.Name);
        if (site.Hosts.Count == 0)
        {
            check.Fail("hosts", "must list at least one host name or *.suffix");
        }
        if (string.IsNullOrEmpty(site.TargetTemplate))
        {
            if (site.Settings.Targets.Count == 0)
            {
                check.Fail("targets", "must list at least one host:port (or set target_template)");
            }
        }
        else
        {
            CheckTemplate(check, site);
        }
        ProxyOptionsValidator.CheckTargetList(check, site.Settings.Targets, "targets");
        if (site.KeysSet.Contains("upstream_host"))
        {
            check.That(ProxyOptionsValidator.IsValidUpstreamHost(site.Settings.UpstreamHost),
                "a host or host:port without spaces or control characters", "upstream_host");
        }
        if (site.KeysSet.Overlaps(s_cacheKeys))
        {
            ProxyOptionsValidator.CheckCacheLifetimes(check, site.Settings);
        }
        if (site.KeysSet.Contains("tls_certificate") != site.KeysSet.Contains("tls_key"))
        {
            check.Fail("tls_key", "must be set in the same section as tls_certificate (a site's certificate and key go together)");
        }
        if (site.KeysSet.Overlaps(PolicyValidator.Keys))
        {
            PolicyValidator.Check(check, site.Settings);
        }
        if (site.KeysSet.Overlaps(CompressionValidator.Keys))
        {
            CompressionValidator.Check(check, site.Settings);
        }
        errors.AddRange(check.Errors);
    }

    /// <summary>A host pattern claimed by two sites would make routing depend on file order: refused.</summary>
    public static void CheckOverlaps(List<string> errors, List<SiteOptions> sites)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            foreach (var host in site.Hosts)
            {
                if (!owner.TryAdd(host.Text, site.Name) && owner[host.Text] != site.Name)
                {
                    errors.Add($"{SiteKeys.Qualified(site.Name, "hosts")}: '{host.Text}' is also a host of [{SiteKeys.SectionPrefix}:{owner[host.Text]}]");
                }
            }
        }
    }

    private static void CheckTemplate(OptionChecker check, SiteOptions site)
    {
        string template = site.TargetTemplate!;
        if (site.Settings.Targets.Count > 0)
        {
            check.Fail("target_template", "set targets or target_template, not both");
        }
        // "1" stands for a label: it makes a valid name and a valid port, so the shape alone is checked here.
        if (!template.Contains("{1}", StringComparison.Ordinal)
            || !EndpointParsers.TryParseTarget(template.Replace("{1}", "1", StringComparison.Ordinal), out _)
            || template.Replace("{1}", "", StringComparison.Ordinal).IndexOfAny(['{', '}']) >= 0)
        {
            check.Fail("target_template", $"must be {SiteKeys.TemplateExpectation} (was '{ConfigText.Escape(template)}')");
        }
        if (site.AllowTargets.IsEmpty)
        {
            check.Fail("allow_targets", "is required with target_template: the CIDRs and/or names its targets may resolve into");
        }
        foreach (var host in site.Hosts.Where(h => !h.IsWildcard))
        {
            check.Fail("hosts", $"'{host.Text}' is not a wildcard: with target_template every host must be *.suffix, whose label fills {{1}}");
        }
    }
}
