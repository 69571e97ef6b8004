using InverseProxy.Caching;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class CacheDirectivesTests
{
    [Fact]
    public void ResponseParse_MixedCaseSpacesAndQuotes_ReadsEveryDirective()
    {
        var d = ResponseDirectives.Parse(" Public ,MAX-AGE=\"60\", s-maxage = 30 ,, must-revalidate, stale-while-revalidate=5, stale-if-error=7");

        Assert.True(d.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), d.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(30), d.SharedMaxAge);
        Assert.True(d.MustRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(5), d.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.FromSeconds(7), d.StaleIfError);
    }

    [Fact]
    public void ResponseParse_MalformedMaxAge_ReadsAsZeroNotAbsent()
    {
        var d = ResponseDirectives.Parse("max-age=abc, s-maxage=-5");

        Assert.Equal(TimeSpan.Zero, d.MaxAge);
        Assert.Equal(TimeSpan.Zero, d.SharedMaxAge);
    }

    [Fact]
    public void ResponseParse_MalformedStaleWindows_AreIgnored()
    {
        var d = ResponseDirectives.Parse("stale-while-revalidate=x, stale-if-error");

        Assert.Equal(TimeSpan.Zero, d.StaleWhileRevalidate);
        Assert.Equal(TimeSpan.Zero, d.StaleIfError);
    }

    [Fact]
    public void ResponseParse_QualifiedNoCacheWithComma_CountsAsNoCacheAndKeepsLaterDirectives()
    {
        var d = ResponseDirectives.Parse("no-cache=\"Set-Cookie, X-A\", private=\"X-B\", max-age=5");

        Assert.True(d.NoCache);
        Assert.True(d.Private);
        Assert.True(d.NeverServeStale);
        Assert.Equal(TimeSpan.FromSeconds(5), d.MaxAge);
    }

    [Fact]
    public void ResponseParse_DuplicateMaxAge_FirstWins()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), ResponseDirectives.Parse("max-age=10, max-age=99").MaxAge);
    }

    [Fact]
    public void ResponseParse_HugeDelta_SaturatesInsteadOfOverflowing()
    {
        var d = ResponseDirectives.Parse("max-age=99999999999999999999999");

        Assert.Equal(TimeSpan.FromSeconds(int.MaxValue), d.MaxAge);
    }

    [Fact]
    public void RequestParse_AllDirectives_Read()
    {
        var d = CacheRequestDirectives.Parse(Fields(("Cache-Control", "no-cache, no-store, max-age=5, max-stale=6, min-fresh=7, only-if-cached")));

        Assert.True(d.NoCache);
        Assert.True(d.NoStore);
        Assert.True(d.OnlyIfCached);
        Assert.Equal(TimeSpan.FromSeconds(5), d.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(6), d.MaxStale);
        Assert.Equal(TimeSpan.FromSeconds(7), d.MinFresh);
    }

    [Fact]
    public void RequestParse_BareMaxStale_AcceptsAnyStaleness()
    {
        Assert.Equal(TimeSpan.MaxValue, CacheRequestDirectives.Parse(Fields(("Cache-Control", "max-stale"))).MaxStale);
    }

    [Fact]
    public void RequestParse_InvalidMaxAge_ReadsAsZero()
    {
        Assert.Equal(TimeSpan.Zero, CacheRequestDirectives.Parse(Fields(("Cache-Control", "max-age=soon"))).MaxAge);
    }

    [Fact]
    public void RequestParse_PragmaNoCacheWithoutCacheControl_MeansNoCache()
    {
        Assert.True(CacheRequestDirectives.Parse(Fields(("Pragma", "no-cache"))).NoCache);
    }

    [Fact]
    public void RequestParse_PragmaNoCacheWithCacheControl_IsIgnored()
    {
        Assert.False(CacheRequestDirectives.Parse(Fields(("Pragma", "no-cache"), ("Cache-Control", "max-age=5"))).NoCache);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void HttpDateTryParse_AllThreeFormats_GiveTheSameInstant(string text)
    {
        Assert.True(HttpDate.TryParse(text, out var value));
        Assert.Equal(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("yesterday")]
    public void HttpDateTryParse_Invalid_False(string text)
    {
        Assert.False(HttpDate.TryParse(text, out _));
    }
}
