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

    [Theory]
    [InlineData("max-age=99, max-age=10")]
    [InlineData("max-age=99, s-maxage=10, s-maxage=50, stale-while-revalidate=30, stale-while-revalidate=10, stale-if-error=10, stale-if-error=20, max-age=10")]
    public void ResponseParse_RepeatedDirective_MostRestrictiveWins(string cacheControl)
    {
        var d = ResponseDirectives.Parse(cacheControl);

        Assert.Equal(TimeSpan.FromSeconds(10), d.MaxAge);
        Assert.Equal(cacheControl.Contains("s-maxage") ? TimeSpan.FromSeconds(10) : null, d.SharedMaxAge);
        Assert.Equal(cacheControl.Contains("stale") ? TimeSpan.FromSeconds(10) : TimeSpan.Zero, d.StaleWhileRevalidate);
        Assert.Equal(cacheControl.Contains("stale") ? TimeSpan.FromSeconds(10) : TimeSpan.Zero, d.StaleIfError);
    }

    [Fact]
    public void ResponseParse_CdnCacheControl_ReplacesCacheControl()
    {
        var d = ResponseDirectives.Parse(Fields(("Cache-Control", "private, no-cache, max-age=5"), ("CDN-Cache-Control", "s-maxage=30")));

        Assert.Equal((false, false, null, TimeSpan.FromSeconds(30)), (d.Private, d.NoCache, d.MaxAge, d.SharedMaxAge));
    }

    [Fact]
    public void ResponseParse_RepeatedMaxAgeOneInvalid_ReadsAsZero()
    {
        Assert.Equal(TimeSpan.Zero, ResponseDirectives.Parse("max-age=60, max-age=soon").MaxAge);
    }

    [Fact]
    public void RequestParse_RepeatedDirectives_MostRestrictiveWins()
    {
        var d = CacheRequestDirectives.Parse(Fields(("Cache-Control", "max-age=90, max-stale=30, min-fresh=5, max-age=20, max-stale, max-stale=10, min-fresh=15")));

        Assert.Equal(TimeSpan.FromSeconds(20), d.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(10), d.MaxStale);
        Assert.Equal(TimeSpan.FromSeconds(15), d.MinFresh);
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

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    public void HttpDateTryParseStrict_EachForm_Accepted(string text)
    {
        Assert.True(HttpDate.TryParseStrict(text, out var value));
        Assert.Equal(new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero), value);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 gmt")]
    [InlineData("Sun, 06  Nov 1994 08:49:37 GMT")]
    [InlineData("Sun,  06 Nov 1994 08:49:37 GMT")]
    [InlineData("sun, 06 nov 1994 08:49:37 GMT")]
    [InlineData("Sun Nov 6 08:49:37 1994")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 Gmt")]
    public void HttpDateTryParseStrict_NotExactlyOneForm_Rejected(string text)
    {
        Assert.False(HttpDate.TryParseStrict(text, out _));
    }
}
