using InverseProxy.Caching;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class ResponseCacheInvalidationTests
{
    private static (ResponseCache Cache, Tests.TestSupport.ManualTimeProvider Clock) Filled(params string[] targets)
    {
        var (cache, clock) = Cache();
        foreach (string target in targets)
        {
            Put(cache, clock, target, "x", ("Cache-Control", "max-age=60"));
        }
        return (cache, clock);
    }

    private static bool Cached(ResponseCache cache, string target, string host = "example.com") =>
        cache.Lookup(Get(target, ("Host", host)), "http").Kind != CacheLookupKind.Miss;

    [Fact]
    public void InvalidateAfterUnsafe_PostSuccess_RemovesTargetOnly()
    {
        var (cache, _) = Filled("/a", "/b");

        int removed = cache.InvalidateAfterUnsafe(Request("POST", "/a"), "http", 201, Fields());

        Assert.Equal(1, removed);
        Assert.False(Cached(cache, "/a"));
        Assert.True(Cached(cache, "/b"));
        Assert.Equal(1, cache.Counters().Invalidations);
    }

    [Fact]
    public void InvalidateAfterUnsafe_LocationAndContentLocationSameHost_AlsoRemoved()
    {
        var (cache, _) = Filled("/a", "/items/7", "/items/7/view", "/other");
        var headers = Fields(("Location", "http://EXAMPLE.com:80/items/7"), ("Content-Location", "7/view"));

        int removed = cache.InvalidateAfterUnsafe(Request("POST", "/items/new"), "http", 303, headers);

        Assert.Equal(2, removed);
        Assert.False(Cached(cache, "/items/7"));
        Assert.False(Cached(cache, "/items/7/view"));
        Assert.True(Cached(cache, "/a"));
    }

    [Fact]
    public void InvalidateAfterUnsafe_LocationOnOtherHost_Kept()
    {
        var (cache, clock) = Filled("/x");
        Put(cache, clock, Get("/x", ("Host", "other.example")), Ok(), [1]);

        cache.InvalidateAfterUnsafe(Request("PUT", "/a"), "http", 200, Fields(("Location", "http://other.example/x")));
        cache.InvalidateAfterUnsafe(Request("PUT", "/a"), "http", 200, Fields(("Location", "//other.example/x")));

        Assert.True(Cached(cache, "/x", "other.example"));
        Assert.True(Cached(cache, "/x"));
    }

    [Fact]
    public void InvalidateAfterUnsafe_AbsolutePathLocation_SameHost()
    {
        var (cache, _) = Filled("/x");

        cache.InvalidateAfterUnsafe(Request("DELETE", "/a"), "http", 204, Fields(("Location", "/x")));

        Assert.False(Cached(cache, "/x"));
    }

    [Theory]
    [InlineData("POST", 500, false)]
    [InlineData("POST", 404, false)]
    [InlineData("POST", 302, true)]
    [InlineData("PATCH", 200, true)]
    [InlineData("FROB", 200, true)]
    [InlineData("GET", 200, false)]
    [InlineData("HEAD", 200, false)]
    [InlineData("OPTIONS", 200, false)]
    public void InvalidateAfterUnsafe_MethodAndStatus_OnlyUnsafeSuccessInvalidates(string method, int status, bool invalidates)
    {
        var (cache, _) = Filled("/a");

        cache.InvalidateAfterUnsafe(Request(method, "/a"), "http", status, Fields());

        Assert.Equal(invalidates, !Cached(cache, "/a"));
    }

    [Fact]
    public void Purge_AllVariants_RemovedAndBytesZero()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, Get("/a", ("Accept", "1")), Ok(("Vary", "Accept")), [1]);
        Put(cache, clock, Get("/a", ("Accept", "2")), Ok(("Vary", "Accept")), [2]);

        Assert.True(cache.Purge("http", "Example.com:80", "/a"));
        Assert.False(cache.Purge("http", "example.com", "/a"));
        Assert.Equal(0, cache.Counters().Entries);
        Assert.Equal(0, cache.Counters().Bytes);
        Assert.Equal(2, cache.Counters().Invalidations);
    }
}
