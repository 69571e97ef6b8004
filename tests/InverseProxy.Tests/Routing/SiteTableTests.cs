using InverseProxy.Configuration;
using InverseProxy.Routing;

namespace InverseProxy.Tests.Routing;

public sealed class SiteTableTests
{
    private static readonly Site Fallback = Make(Site.DefaultName);
    private static readonly Site Api = Make("api");
    private static readonly Site Wild = Make("wild");
    private static readonly Site Deep = Make("deep");

    [Theory]
    [InlineData("api.example.test", "api", null)]
    [InlineData("x.example.test", "wild", "x")]
    [InlineData("a.b.example.test", "wild", "a.b")]
    [InlineData("x.deep.example.test", "deep", "x")]
    [InlineData("deep.example.test", "wild", "deep")]
    [InlineData("example.test", "default", null)]
    [InlineData("elsewhere", "default", null)]
    [InlineData("xexample.test", "default", null)]
    public void Route_ExactThenLongestWildcardThenDefault(string host, string expected, string? label)
    {
        var table = Table(Fallback);

        var site = table.Route(host, out string? matched);

        Assert.Equal(expected, site!.Name);
        Assert.Equal(label, matched);
    }

    [Fact]
    public void Route_NoDefault_Null()
    {
        Assert.Null(Table(fallback: null).Route("elsewhere", out _));
    }

    [Fact]
    public void Route_NoSections_EverythingToTheDefault()
    {
        var table = new SiteTable([Fallback], [], Fallback);

        Assert.Same(Fallback, table.Route("anything.test", out _));
    }

    [Theory]
    [InlineData("Example.COM.", true, "example.com")]
    [InlineData("*.Example.com", true, "*.example.com")]
    [InlineData("127.0.0.1", true, "127.0.0.1")]
    [InlineData("[::1]", true, "[::1]")]
    [InlineData("example.com:80", false, "")]
    [InlineData("*", false, "")]
    [InlineData("*.", false, "")]
    [InlineData("a.*.com", false, "")]
    [InlineData("*.[::1]", false, "")]
    [InlineData("exa mple.com", false, "")]
    public void HostPattern_TryParse(string raw, bool valid, string text)
    {
        Assert.Equal(valid, HostPattern.TryParse(raw, out var pattern));
        if (valid)
        {
            Assert.Equal(text, pattern.Text);
        }
    }

    private static SiteTable Table(Site? fallback)
    {
        var sites = new List<Site> { Api, Wild, Deep };
        if (fallback is not null)
        {
            sites.Insert(0, fallback);
        }
        return new SiteTable(sites, [(Host("api.example.test"), Api), (Host("*.example.test"), Wild), (Host("*.deep.example.test"), Deep)], fallback);
    }

    private static HostPattern Host(string text) => HostPattern.TryParse(text, out var pattern) ? pattern : throw new ArgumentException(text);

    private static Site Make(string name) => new(name, new ProxyOptions(), cache: true, targets: null, dynamic: null, new SiteCounters());
}
