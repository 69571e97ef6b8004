using InverseProxy.Configuration;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// <c>[site:NAME]</c> sections for a proxy's options, bound by the same code that binds proxy.conf: each key's raw
/// text goes through its own binder, and the result is validated as a loaded file would be.
/// </summary>
internal static class TestSites
{
    /// <summary>Adds a site with <paramref name="keys"/> ("hosts" = "a.test, *.b.test", "targets" = "127.0.0.1:80", ...).</summary>
    public static SiteOptions Add(ProxyOptions options, string name, params (string Key, string Value)[] keys)
    {
        var site = SiteOptions.Inherit(name, options);
        var errors = new List<string>();
        foreach (var (key, value) in keys)
        {
            var failures = new BindFailures(errors, SiteKeys.Qualified(name, key), value, "");
            if (SiteKeys.Bind(site, key, value, failures) is { } refused)
            {
                errors.Add(refused);
            }
        }
        options.Sites = [.. options.Sites, site];
        errors.AddRange(ProxyOptionsValidator.Validate(options));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", errors));
        }
        return site;
    }
}
