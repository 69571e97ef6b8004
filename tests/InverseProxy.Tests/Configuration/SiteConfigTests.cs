using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class SiteConfigTests
{
    [Fact]
    public void Load_SiteSections_BoundWithOverridesAndInheritedSettings()
    {
        using var config = new TempConfig(TempConfig.Targets + "ttl = 30s\n\n[site:api]\nhosts = api.example.test, *.api.example.test\n"
            + "targets = 127.0.0.1:9101, 127.0.0.1:9102\nupstream_host = internal.api\nttl = 5s\ncache = off\n\n"
            + "[site:dyn]\nhosts = *.dyn.example.test\ntarget_template = {1}.svc.internal:8080\nallow_targets = 10.0.0.0/8, svc.internal\n");

        var result = config.Load();

        Assert.Empty(result.Errors);
        var sites = result.Options!.Sites.ToDictionary(s => s.Name);
        var api = sites["api"];
        Assert.Equal(["api.example.test", "*.api.example.test"], api.Hosts.Select(h => h.Text));
        Assert.Equal([9101, 9102], api.Settings.Targets.Select(t => t.Port));
        Assert.Equal("internal.api", api.Settings.UpstreamHost);
        Assert.Equal(TimeSpan.FromSeconds(5), api.Settings.Ttl);
        Assert.False(api.Cache);
        var dyn = sites["dyn"];
        Assert.Equal("{1}.svc.internal:8080", dyn.TargetTemplate);
        Assert.Empty(dyn.Settings.Targets);
        Assert.Equal(TimeSpan.FromSeconds(30), dyn.Settings.Ttl);
        Assert.True(dyn.AllowTargets.AllowsName("x.svc.internal"));
    }

    [Fact]
    public void Load_SitesWithoutTopLevelTargets_Valid()
    {
        using var config = new TempConfig("[site:a]\nhosts = a.test\ntargets = 127.0.0.1:9101\n");

        var result = config.Load();

        Assert.Empty(result.Errors);
        Assert.Empty(result.Options!.Targets);
    }

    [Theory]
    [InlineData("[site:a]\nhosts = a.test\ntargets = 127.0.0.1:9101\nport = 1\n", "[site:a] port: cannot be set per site (set it at top level)")]
    [InlineData("[site:a]\nhosts = a.test\ntargets = 127.0.0.1:9101\nhots = b\n", "[site:a] hots: unknown key")]
    [InlineData("[site:a]\ntargets = 127.0.0.1:9101\n", "[site:a] hosts: must list at least one host name or *.suffix")]
    [InlineData("[site:a]\nhosts = a.test\n", "[site:a] targets: must list at least one host:port (or set target_template)")]
    [InlineData("[site:a]\nhosts = a.test:80\ntargets = 127.0.0.1:9101\n", "[site:a] hosts: 'a.test:80' must be a host name, an address, or *.suffix, without a port")]
    [InlineData("[site:a]\nhosts = *.a.test\ntarget_template = 127.0.0.1:{1}\n", "[site:a] allow_targets: is required with target_template: the CIDRs and/or names its targets may resolve into")]
    [InlineData("[site:a]\nhosts = *.a.test\ntarget_template = 127.0.0.1:80\nallow_targets = 127.0.0.0/8\n", "[site:a] target_template: must be host:port with {1} standing for what the wildcard * matched, e.g. {1}.svc.internal:8080 or 127.0.0.1:{1} (was '127.0.0.1:80')")]
    [InlineData("[site:a]\nhosts = a.test\ntarget_template = 127.0.0.1:{1}\nallow_targets = 127.0.0.0/8\n", "[site:a] hosts: 'a.test' is not a wildcard: with target_template every host must be *.suffix, whose label fills {1}")]
    [InlineData("[site:a]\nhosts = *.a.test\ntargets = 127.0.0.1:1\ntarget_template = 127.0.0.1:{1}\nallow_targets = 127.0.0.0/8\n", "[site:a] target_template: set targets or target_template, not both")]
    [InlineData("[site:a]\nhosts = *.a.test\ntarget_template = 127.0.0.1:{1}\nallow_targets = 10.0.0.0/99\n", "[site:a] allow_targets: '10.0.0.0/99' must be a CIDR like 10.0.0.0/8 or a host name suffix like svc.internal")]
    [InlineData("[site:a]\nhosts = a.test\ntargets = 127.0.0.1:9101\nttl = 2d\nmax_ttl = 1d\n", "[site:a] max_ttl must be at least ttl (was '1d')")]
    [InlineData("[site:a]\nhosts = a.test\ntargets = 127.0.0.1:9101\n[site:b]\nhosts = A.test\ntargets = 127.0.0.1:9102\n", "[site:b] hosts: 'a.test' is also a host of [site:a]")]
    public void Load_BadSite_OneLineNamingTheSectionAndKey(string sections, string expected)
    {
        using var config = new TempConfig(TempConfig.Targets + sections);

        var errors = config.Load().Errors;

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Load_SameKeyInTwoSections_Fine_TwiceInOne_Refused()
    {
        using var fine = new TempConfig(TempConfig.Targets + "[site:a]\nhosts = a.test\ntargets = 127.0.0.1:1\n[site:b]\nhosts = b.test\ntargets = 127.0.0.1:2\n");
        using var twice = new TempConfig(TempConfig.Targets + "[site:a]\nhosts = a.test\nhosts = b.test\ntargets = 127.0.0.1:1\n");

        Assert.Empty(fine.Load().Errors);
        Assert.Contains(twice.Load().Errors, e => e.EndsWith("'hosts' is set again (first on line 3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Describe_Sites_ListedWithHostsAndTargets_RoundTripsThroughAFile()
    {
        using var first = new TempConfig(TempConfig.Targets + "[site:api]\nhosts = api.test, *.api.test\ntargets = 127.0.0.1:9101\nttl = 5s\n"
            + "[site:dyn]\nhosts = *.dyn.test\ntarget_template = 127.0.0.1:{1}\nallow_targets = 127.0.0.0/8\n");
        var described = ConfigLoader.Describe(first.Load().Options!);

        using var second = new TempConfig(described);
        var reloaded = second.Load();

        Assert.Empty(reloaded.Errors);
        Assert.Equal(described, ConfigLoader.Describe(reloaded.Options!));
        Assert.Contains("\n[site:api]\nhosts = api.test, *.api.test\n", described, StringComparison.Ordinal);
        Assert.Contains("\ntargets = 127.0.0.1:9101\nttl = 5s\n", described, StringComparison.Ordinal);
        Assert.Contains("\n[site:dyn]\nhosts = *.dyn.test\ntarget_template = 127.0.0.1:{1}\nallow_targets = 127.0.0.0/8\n", described, StringComparison.Ordinal);
    }
}
