using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9111 §3: what a shared cache must not store, proven by the origin's request count.</summary>
public sealed class CacheStorageRulesTests
{
    [Theory]
    [InlineData("no-store, max-age=60")]
    [InlineData("private, max-age=60")]
    public void Get_ResponseForbidsSharedStorage_NotStored(string cacheControl)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body", ("Cache-Control", cacheControl)));
        using var proxy = ProxyInstance.Start(origin.Port);

        Get(proxy.Port, "/r");
        var second = Get(proxy.Port, "/r");

        Assert.Equal("body", second.BodyText);
        Assert.Equal("MISS", second.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
        Assert.Equal(0, proxy.Server.Cache!.Counters().Stores);
    }

    [Theory]
    [InlineData(302, "Found")]
    [InlineData(307, "Temporary Redirect")]
    [InlineData(400, "Bad Request")]
    [InlineData(500, "Internal Server Error")]
    public void Get_UnderstoodStatusWithMaxAge_StoredButNotPartialContent(int status, string reason)
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Status = r.Target == "/part" ? 206 : status,
            Reason = r.Target == "/part" ? "Partial Content" : reason,
            Body = "body"u8.ToArray(),
            Headers = [new("Cache-Control", "max-age=60"), new("Content-Range", "bytes 0-3/10")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);

        GetStored(proxy, "/r");
        var hit = Get(proxy.Port, "/r");
        Get(proxy.Port, "/part");
        var partial = Get(proxy.Port, "/part");

        Assert.Equal((status, "HIT"), (hit.Status(), hit.Header("X-Cache")));
        Assert.Equal((206, "MISS"), (partial.Status(), partial.Header("X-Cache")));
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Get_CdnCacheControl_GovernsThisCacheAndTravelsOnUnchanged()
    {
        using var origin = new ScriptedOrigin(r => r.Target == "/cdn-stores"
            ? OriginResponse.Text("a", ("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=60"))
            : OriginResponse.Text("b", ("Cache-Control", "public, max-age=60"), ("CDN-Cache-Control", "no-store"),
                ("Expires", DateTimeOffset.UtcNow.AddHours(1).ToString("r"))));
        using var proxy = ProxyInstance.Start(origin.Port);

        GetStored(proxy, "/cdn-stores");
        var hit = Get(proxy.Port, "/cdn-stores");
        var first = Get(proxy.Port, "/cdn-refuses");
        var second = Get(proxy.Port, "/cdn-refuses");

        Assert.Equal("HIT", hit.Header("X-Cache"));
        Assert.Equal(("no-store", "max-age=60"), (hit.Header("Cache-Control"), hit.Header("CDN-Cache-Control")));
        Assert.Equal(("public, max-age=60", "no-store"), (second.Header("Cache-Control"), second.Header("CDN-Cache-Control")));
        Assert.Equal("MISS", second.Header("X-Cache"));
        Assert.Equal("b", first.BodyText);
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Get_RequestNoStore_ResponseNotStored()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);

        Get(proxy.Port, "/r", "Cache-Control: no-store");
        GetStored(proxy, "/r");
        Assert.Equal(2, origin.RequestCount);
        var third = Get(proxy.Port, "/r");

        Assert.Equal("HIT", third.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Theory]
    [InlineData("max-age=60", false)]
    [InlineData("public, max-age=60", true)]
    [InlineData("s-maxage=60", true)]
    public void Get_WithAuthorization_StoredOnlyWhenOriginAllowsSharing(string cacheControl, bool shared)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("secret", ("Cache-Control", cacheControl)));
        using var proxy = ProxyInstance.Start(origin.Port);
        const string credentials = "Authorization: Basic dXNlcjpwYXNz";

        _ = shared ? GetStored(proxy, "/auth", credentials) : Get(proxy.Port, "/auth", credentials);
        var second = Get(proxy.Port, "/auth", credentials);

        Assert.Equal("secret", second.BodyText);
        Assert.Equal(shared ? 1 : 2, origin.RequestCount);
        Assert.Equal(shared ? 1 : 0, proxy.Server.Cache!.Counters().Stores);
    }

    [Fact]
    public void Get_UnmarkedPageForCookie_NotServedToNextClient()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"page for {r.Header("Cookie") ?? "nobody"}"));
        using var proxy = ProxyInstance.Start(o => o.CacheUnmarked = true, origin.Port);

        Get(proxy.Port, "/page", "Cookie: session=alice");
        long storedForAlice = proxy.Server.Cache!.Counters().Stores;
        var anonymous = Get(proxy.Port, "/page");

        Assert.Equal(0, storedForAlice);
        Assert.Equal("page for nobody", anonymous.BodyText);
        Assert.Equal(2, origin.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Get_ResponseWithSetCookie_StoredOnlyWhenCacheSetCookieOn(bool cacheSetCookie)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body", ("Cache-Control", "max-age=60"), ("Set-Cookie", "sid=1")));
        using var proxy = ProxyInstance.Start(o => o.CacheSetCookie = cacheSetCookie, origin.Port);

        _ = cacheSetCookie ? GetStored(proxy, "/c") : Get(proxy.Port, "/c");
        Get(proxy.Port, "/c");

        Assert.Equal(cacheSetCookie ? 1 : 2, origin.RequestCount);
        Assert.Equal(cacheSetCookie ? 1 : 0, proxy.Server.Cache!.Counters().Stores);
    }

    [Fact]
    public void Get_PrivatePerUserResponses_EachUserGetsOwnBody()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text(
            $"profile of {r.Header("Cookie")}", ("Cache-Control", "private, max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var bodies = new List<string>();
        foreach (string user in new[] { "alice", "bob", "alice", "bob" })
        {
            bodies.Add(Get(proxy.Port, "/me", $"Cookie: user={user}").BodyText);
        }

        Assert.Equal(["profile of user=alice", "profile of user=bob", "profile of user=alice", "profile of user=bob"], bodies);
        Assert.Equal(4, origin.RequestCount);
        Assert.Equal(0, proxy.Server.Cache!.Counters().Stores);
    }
}
