using System.Net;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Routing;

/// <summary>Sites chosen by Host: exact names, wildcards (longest suffix wins), the default site, and 421.</summary>
public sealed class SiteRoutingTests : IDisposable
{
    private readonly ScriptedOrigin _defaultOrigin = Named("default");
    private readonly ScriptedOrigin _apiOrigin = Named("api");
    private readonly ScriptedOrigin _wildOrigin = Named("wild");
    private readonly ScriptedOrigin _deepOrigin = Named("deep");

    [Theory]
    [InlineData("api.example.test", "api")]
    [InlineData("API.Example.Test.", "api")]
    [InlineData("x.example.test", "wild")]
    [InlineData("a.b.example.test", "wild")]
    [InlineData("x.deep.example.test", "deep")]
    [InlineData("deep.example.test", "wild")]
    [InlineData("example.test", "default")]
    [InlineData("other.test", "default")]
    public void Host_RoutedToTheMostSpecificSite(string host, string expected)
    {
        using var proxy = StartWithSites(withDefault: true);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET /who HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(200, response.Status());
        Assert.Equal(expected, response.BodyText);
    }

    [Fact]
    public void NoSiteClaimsTheHost_NoDefault_Misdirected421()
    {
        using var proxy = StartWithSites(withDefault: false);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /who HTTP/1.1\r\nHost: other.test\r\n\r\n");
        var routed = client.Exchange("GET /who HTTP/1.1\r\nHost: api.example.test\r\n\r\n");

        Assert.Equal("HTTP/1.1 421 Misdirected Request", response.StartLine);
        Assert.Equal("api", routed.BodyText);
        Assert.Equal(0, _defaultOrigin.RequestCount);
    }

    [Fact]
    public void SameUriInTwoSites_EntriesNeverMix()
    {
        // The same path on two hosts of two sites, and a PURGE in one, leave the other's entry alone.
        using var proxy = StartWithSites(withDefault: true, o => o.PurgeAllowed = [IPAddress.Loopback]);
        using var client = new RawClient(proxy.Port);

        Assert.Equal("api", client.Exchange("GET /same HTTP/1.1\r\nHost: api.example.test\r\n\r\n").BodyText);
        Assert.Equal("wild", client.Exchange("GET /same HTTP/1.1\r\nHost: w.example.test\r\n\r\n").BodyText);
        Assert.Equal(200, client.Exchange("PURGE /same HTTP/1.1\r\nHost: api.example.test\r\n\r\n").Status());
        var wild = client.Exchange("GET /same HTTP/1.1\r\nHost: w.example.test\r\n\r\n");
        var api = client.Exchange("GET /same HTTP/1.1\r\nHost: api.example.test\r\n\r\n");

        Assert.Equal("HIT", wild.Header("X-Cache"));
        Assert.Equal("MISS", api.Header("X-Cache"));
        Assert.Equal(2, _apiOrigin.RequestCount);
    }

    [Fact]
    public void SiteWithCacheOff_NeverStores_SiteUpstreamHostSent()
    {
        var options = (Action<InverseProxy.Configuration.ProxyOptions>)(o =>
            TestSites.Add(o, "nocache", ("hosts", "nocache.test"), ("targets", $"127.0.0.1:{_apiOrigin.Port}"),
                ("cache", "off"), ("upstream_host", "internal.api:81")));
        using var proxy = ProxyInstance.Start(options, _defaultOrigin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /c HTTP/1.1\r\nHost: nocache.test\r\n\r\n");
        var second = client.Exchange("GET /c HTTP/1.1\r\nHost: nocache.test\r\n\r\n");

        Assert.Null(second.Header("X-Cache"));
        Assert.Equal(2, _apiOrigin.RequestCount);
        Assert.All(_apiOrigin.Requests, r => Assert.Equal("internal.api:81", r.Header("Host")));
        Assert.All(_apiOrigin.Requests, r => Assert.Equal("nocache.test", r.Header("X-Forwarded-Host")));
    }

    [Fact]
    public void AccessLog_NamesTheSite()
    {
        using var proxy = StartWithSites(withDefault: true);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /logged HTTP/1.1\r\nHost: api.example.test\r\n\r\n");

        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains("/logged", StringComparison.Ordinal) && l.Contains("site=api", StringComparison.Ordinal))));
    }

    [Fact]
    public void StatsAndMetrics_CountPerSite()
    {
        using var proxy = StartWithSites(withDefault: false);
        using var client = new RawClient(proxy.Port);
        client.Exchange("GET /s HTTP/1.1\r\nHost: api.example.test\r\n\r\n");
        client.Exchange("GET /s HTTP/1.1\r\nHost: api.example.test\r\n\r\n");
        client.Exchange("GET /s HTTP/1.1\r\nHost: x.example.test\r\n\r\n");

        var report = InverseProxy.Admin.StatsReport.Capture(proxy.Server, TimeProvider.System);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        string metrics = InverseProxy.Admin.PrometheusText.Render(report);

        var sites = json.RootElement.GetProperty("sites").EnumerateArray()
            .ToDictionary(e => e.GetProperty("site").GetString()!, e => (Requests: e.GetProperty("requests").GetInt64(), Hits: e.GetProperty("cache_hits").GetInt64()));
        Assert.Equal((2, 1), sites["api"]);
        Assert.Equal((1, 0), sites["wild"]);
        Assert.Equal((0, 0), sites["deep"]);
        Assert.Contains("inverseproxy_sites_requests_total{site=\"api\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("inverseproxy_sites_cache_hits_total{site=\"api\"} 1\n", metrics, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _defaultOrigin.Dispose();
        _apiOrigin.Dispose();
        _wildOrigin.Dispose();
        _deepOrigin.Dispose();
    }

    private static ScriptedOrigin Named(string name) => new(_ => OriginResponse.Text(name, ("Cache-Control", "max-age=600")));

    private ProxyInstance StartWithSites(bool withDefault, Action<InverseProxy.Configuration.ProxyOptions>? more = null)
    {
        return ProxyInstance.Start(o =>
        {
            TestSites.Add(o, "api", ("hosts", "api.example.test"), ("targets", $"127.0.0.1:{_apiOrigin.Port}"));
            TestSites.Add(o, "wild", ("hosts", "*.example.test"), ("targets", $"127.0.0.1:{_wildOrigin.Port}"));
            TestSites.Add(o, "deep", ("hosts", "*.deep.example.test"), ("targets", $"127.0.0.1:{_deepOrigin.Port}"));
            if (!withDefault)
            {
                o.Targets = [];
            }
            more?.Invoke(o);
        }, _defaultOrigin.Port);
    }
}
