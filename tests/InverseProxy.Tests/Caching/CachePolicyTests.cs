using InverseProxy.Caching;
using InverseProxy.Configuration;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class CachePolicyTests
{
    private static StoreDecision Decide(
        (string, string)[] response, int status = 200, ProxyOptions? options = null, params (string, string)[] request)
    {
        var policy = new CachePolicy(options ?? Options());
        return policy.Evaluate(Get("/a", request), Response(status, response), Start, Start);
    }

    [Fact]
    public void Evaluate_PlainOk_StorableForTtl()
    {
        var decision = Decide([]);

        Assert.True(decision.IsStorable);
        Assert.Equal("ttl", decision.Reason);
        Assert.Equal(TimeSpan.FromSeconds(60), decision.Lifetime);
        Assert.Equal(Start + TimeSpan.FromSeconds(60), decision.ExpiresAt);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("HEAD")]
    [InlineData("PUT")]
    public void Evaluate_NotGet_NotStorable(string method)
    {
        var decision = new CachePolicy(Options()).Evaluate(Request(method, "/a"), Ok(("Cache-Control", "max-age=60")), Start, Start);

        Assert.Equal(StoreDecision.NotStorable("method"), decision);
    }

    [Theory]
    [InlineData("no-store", "no-store")]
    [InlineData("max-age=60, no-store", "no-store")]
    [InlineData("private", "private")]
    [InlineData("private=\"Set-Cookie\", max-age=60", "private")]
    public void Evaluate_ResponseForbidsSharedStorage_NotStorable(string cacheControl, string reason)
    {
        Assert.Equal(StoreDecision.NotStorable(reason), Decide([("Cache-Control", cacheControl)]));
    }

    [Fact]
    public void Evaluate_RequestNoStore_NotStorable()
    {
        Assert.Equal("request-no-store", Decide([], request: [("Cache-Control", "no-store")]).Reason);
    }

    [Theory]
    [InlineData("max-age=60", false)]
    [InlineData("public, max-age=60", true)]
    [InlineData("s-maxage=60", true)]
    [InlineData("must-revalidate, max-age=60", true)]
    public void Evaluate_AuthorizedRequest_StorableOnlyWhenOriginAllowsSharing(string cacheControl, bool storable)
    {
        var decision = Decide([("Cache-Control", cacheControl)], request: [("Authorization", "Basic eDp5")]);

        Assert.Equal(storable, decision.IsStorable);
        Assert.Equal(storable ? decision.Reason : "authorization", decision.Reason);
    }

    [Theory]
    [InlineData("Cookie", "session=alice")]
    [InlineData("Authorization", "Basic eDp5")]
    public void Evaluate_CredentialedRequestUnmarkedResponse_NotStorable(string name, string value)
    {
        var lastModified = Date(Start - TimeSpan.FromDays(10));

        Assert.False(Decide([], request: [(name, value)]).IsStorable);
        Assert.False(Decide([("Last-Modified", lastModified)], request: [(name, value)]).IsStorable);
        Assert.False(Decide([("Cache-Control", "public"), ("Last-Modified", lastModified)], request: [(name, value)]).IsStorable);
    }

    [Theory]
    [InlineData("max-age=60", false)]
    [InlineData("public, max-age=60", true)]
    [InlineData("s-maxage=60", true)]
    [InlineData("must-revalidate, max-age=60", false)]
    public void Evaluate_RequestWithCookie_StorableOnlyWhenOriginAllowsSharing(string cacheControl, bool storable)
    {
        var decision = Decide([("Cache-Control", cacheControl)], request: [("Cookie", "session=alice")]);

        Assert.Equal(storable, decision.IsStorable);
    }

    [Fact]
    public void Evaluate_SetCookie_NotStorableUnlessConfigured()
    {
        var withCookie = new (string, string)[] { ("Set-Cookie", "id=1"), ("Cache-Control", "max-age=60") };
        var allowing = Options();
        allowing.CacheSetCookie = true;

        Assert.Equal("set-cookie", Decide(withCookie).Reason);
        Assert.True(Decide(withCookie, options: allowing).IsStorable);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Accept-Encoding, *")]
    public void Evaluate_VaryStar_NotStorable(string vary)
    {
        Assert.Equal("vary-star", Decide([("Vary", vary)]).Reason);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(203, true)]
    [InlineData(204, true)]
    [InlineData(300, true)]
    [InlineData(301, true)]
    [InlineData(308, true)]
    [InlineData(404, true)]
    [InlineData(405, true)]
    [InlineData(410, true)]
    [InlineData(414, true)]
    [InlineData(501, true)]
    [InlineData(302, true)]
    [InlineData(307, true)]
    [InlineData(400, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(206, false)]
    [InlineData(304, false)]
    [InlineData(412, false)]
    [InlineData(416, false)]
    [InlineData(218, false)]
    public void Evaluate_Status_OnlyUnderstoodCacheableStatusesStored(int status, bool storable)
    {
        var decision = Decide([("Cache-Control", "max-age=60")], status);

        Assert.Equal(storable, decision.IsStorable);
    }

    [Fact]
    public void Evaluate_UnderstoodStatusWithoutExplicitFreshness_NoHeuristicNorTtl()
    {
        var lastModified = ("Last-Modified", Date(Start - TimeSpan.FromDays(10)));

        Assert.False(Decide([], 302).IsStorable);
        Assert.False(Decide([lastModified], 500).IsStorable);
        Assert.True(Decide([("Expires", Date(Start.AddSeconds(30)))], 307).IsStorable);
        Assert.True(Decide([lastModified], 404).IsStorable);
    }

    [Fact]
    public void Evaluate_MustUnderstand_OverridesNoStoreOnlyForUnderstoodStatus()
    {
        var headers = new[] { ("Cache-Control", "no-store, must-understand, max-age=60") };

        Assert.True(Decide(headers, 200).IsStorable);
        Assert.Equal("status", Decide(headers, 218).Reason);
        Assert.Equal("no-store", Decide([("Cache-Control", "no-store, max-age=60")], 200).Reason);
    }

    [Fact]
    public void Evaluate_ContentLengthOverMaxEntrySize_NotStorable()
    {
        var options = Options(maxEntrySize: 100);

        Assert.Equal("too-large", Decide([("Content-Length", "101")], options: options).Reason);
        Assert.True(Decide([("Content-Length", "100")], options: options).IsStorable);
    }

    [Fact]
    public void Evaluate_CacheOff_NotStorable()
    {
        Assert.Equal("cache-off", Decide([("Cache-Control", "max-age=60")], options: Options(cacheSize: 0)).Reason);
    }

    [Fact]
    public void Evaluate_SMaxAgeBeatsMaxAgeAndExpires()
    {
        var decision = Decide([("Cache-Control", "max-age=20, s-maxage=10"), ("Expires", Date(Start.AddSeconds(30)))]);

        Assert.Equal(("s-maxage", TimeSpan.FromSeconds(10)), (decision.Reason, decision.Lifetime));
    }

    [Fact]
    public void Evaluate_MaxAgeBeatsExpires()
    {
        var decision = Decide([("Cache-Control", "max-age=20"), ("Expires", Date(Start.AddSeconds(30)))]);

        Assert.Equal(("max-age", TimeSpan.FromSeconds(20)), (decision.Reason, decision.Lifetime));
    }

    [Fact]
    public void Evaluate_ExpiresMinusDate_BeatsHeuristic()
    {
        var date = Start.AddSeconds(-5);
        var decision = Decide([("Date", Date(date)), ("Expires", Date(date.AddSeconds(30))), ("Last-Modified", Date(date.AddDays(-30)))]);

        Assert.Equal(("expires", TimeSpan.FromSeconds(30)), (decision.Reason, decision.Lifetime));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("not a date")]
    public void Evaluate_InvalidExpires_AlreadyExpiredSoNotStorable(string expires)
    {
        Assert.Equal("no-freshness", Decide([("Expires", expires)]).Reason);
    }

    [Fact]
    public void Evaluate_LastModifiedOnly_TenPercentHeuristic()
    {
        var decision = Decide([("Date", Date(Start)), ("Last-Modified", Date(Start.AddHours(-10)))]);

        Assert.Equal(("heuristic", TimeSpan.FromHours(1)), (decision.Reason, decision.Lifetime));
    }

    [Fact]
    public void Evaluate_VeryOldLastModified_HeuristicCappedAtOneDay()
    {
        var options = Options();
        options.MaxTtl = TimeSpan.FromDays(30);

        var decision = Decide([("Date", Date(Start)), ("Last-Modified", Date(Start.AddDays(-365)))], options: options);

        Assert.Equal(TimeSpan.FromDays(1), decision.Lifetime);
    }

    [Fact]
    public void Evaluate_LongMaxAge_CappedByMaxTtl()
    {
        var options = Options();
        options.MaxTtl = TimeSpan.FromMinutes(5);

        Assert.Equal(TimeSpan.FromMinutes(5), Decide([("Cache-Control", "max-age=86400")], options: options).Lifetime);
        Assert.Equal(TimeSpan.FromMinutes(5), Decide([("Cache-Control", "s-maxage=86400")], options: options).Lifetime);
    }

    [Fact]
    public void Evaluate_UnmarkedWithCacheUnmarkedOff_NotStorable()
    {
        var options = Options();
        options.CacheUnmarked = false;

        Assert.Equal("no-freshness", Decide([], options: options).Reason);
        Assert.True(Decide([("Cache-Control", "max-age=5")], options: options).IsStorable);
    }

    [Theory]
    [InlineData("max-age=0")]
    [InlineData("max-age=bogus")]
    [InlineData("s-maxage=x, max-age=60")]
    public void Evaluate_ZeroOrMalformedExplicitLifetime_NotStorable(string cacheControl)
    {
        Assert.Equal("no-freshness", Decide([("Cache-Control", cacheControl)]).Reason);
    }

    [Fact]
    public void Evaluate_ResponseNoCache_StorableForLaterValidation()
    {
        Assert.True(Decide([("Cache-Control", "no-cache, max-age=60")]).IsStorable);
    }
}
