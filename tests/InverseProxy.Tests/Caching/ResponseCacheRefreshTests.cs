using InverseProxy.Caching;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class ResponseCacheRefreshTests
{
    [Fact]
    public void Refresh_NotModified_UpdatesHeadersAndFreshnessKeepsBody()
    {
        var (cache, clock) = Cache();
        var old = Put(cache, clock, Get("/a"), Ok(("Cache-Control", "max-age=10"), ("ETag", "\"v1\""), ("X-Keep", "k")), [1, 2, 3])!;
        clock.Advance(TimeSpan.FromSeconds(30));
        var now = clock.GetUtcNow();
        var notModified = Response(304, ("Cache-Control", "max-age=100"), ("ETag", "\"v1\""), ("Content-Length", "0"), ("Connection", "close"));

        var refreshed = cache.Refresh(Get("/a"), "http", old, notModified, now, now);

        Assert.Equal([1, 2, 3], refreshed.Body);
        Assert.Equal(200, refreshed.StatusCode);
        Assert.Equal("max-age=100", refreshed.Headers.Get("Cache-Control"));
        Assert.Equal("k", refreshed.Headers.Get("X-Keep"));
        Assert.Equal("3", refreshed.Headers.Get("Content-Length"));
        Assert.Null(refreshed.Headers.Get("Connection"));
        Assert.Equal(now.AddSeconds(100), refreshed.ExpiresAt);
        Assert.Same(refreshed, cache.Lookup(Get("/a"), "http").Entry);
        Assert.Equal(CacheLookupKind.Fresh, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(1, cache.Counters().Entries);
        Assert.Equal(refreshed.Size, cache.Counters().Bytes);
    }

    [Fact]
    public void Refresh_NotModifiedAddsNoStore_EntryDroppedButAnswerReturned()
    {
        var (cache, clock) = Cache();
        var old = Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=10"))!;

        var refreshed = cache.Refresh(Get("/a"), "http", old, Response(304, ("Cache-Control", "no-store")), Start, Start);

        Assert.Equal(old.Body, refreshed.Body);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(0, cache.Counters().Bytes);
    }

    [Theory]
    [InlineData("purge")]
    [InlineData("invalidate")]
    public void Refresh_EntryRemovedWhileValidating_304DoesNotBringItBack(string removal)
    {
        var (cache, clock) = Cache();
        var old = Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=10"), ("ETag", "\"v1\""))!;
        _ = removal == "purge" ? (cache.Purge("http", "example.com", "/a") ? 1 : 0) : cache.Invalidate("http", "example.com", "/a");

        var answer = cache.Refresh(Get("/a"), "http", old, Response(304, ("Cache-Control", "max-age=100"), ("ETag", "\"v1\"")), Start, Start);

        Assert.Equal(old.Body, answer.Body);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal((0, 0L), (cache.Counters().Entries, cache.Counters().Bytes));
    }

    [Fact]
    public void Refresh_NewerEntryStoredMeanwhile_NewerKept()
    {
        var (cache, clock) = Cache();
        var old = Put(cache, clock, "/a", "old")!;
        var newer = Put(cache, clock, "/a", "newer")!;

        cache.Refresh(Get("/a"), "http", old, Response(304), Start, Start);

        Assert.Same(newer, cache.Lookup(Get("/a"), "http").Entry);
    }
}
