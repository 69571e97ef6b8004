using System.Text;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class ResponseCachePersistenceTests
{
    [Fact]
    public void Snapshot_ReturnsSameArraysMostRecentFirst()
    {
        var (cache, clock) = Cache();
        var a = Put(cache, clock, "/a", "aa")!;
        var b = Put(cache, clock, "/b", "bb")!;
        cache.Lookup(Get("/a"), "http");

        var taken = cache.Snapshot(out long version);
        cache.EndSnapshot();
        var snapshot = taken.Select(e => e!).ToArray();

        Assert.Equal(cache.ChangeVersion, version);
        Assert.Equal([a.Key, b.Key], snapshot.Select(e => e.Key).ToArray());
        Assert.Same(a.Body, snapshot[0].Body);
        Assert.Same(a.HeadBytes, snapshot[0].Head);
        Assert.Same(b.Body, snapshot[1].Body);
        Assert.Equal((a.BornAt, a.ExpiresAt), (snapshot[0].BornAt, snapshot[0].ExpiresAt));
    }

    [Fact]
    public void Snapshot_EntriesDroppedBeforeItEnds_ClearedFromIt_NotAfter()
    {
        long size = SizeOf("/a", "aa");
        var (cache, clock) = Cache(Options(cacheSize: (2 * size) + 1));
        Put(cache, clock, "/a", "aa");
        Put(cache, clock, "/b", "bb");

        var writing = cache.Snapshot(out _);
        Put(cache, clock, "/c", "cc");          // evicts /a, the least recently used
        cache.Purge("http", "example.com", "/b");

        Assert.Equal(2, writing.Count);
        Assert.All(writing, e => Assert.Null(e));

        cache.EndSnapshot();
        var next = cache.Snapshot(out _);
        cache.EndSnapshot();
        cache.Purge("http", "example.com", "/c");
        Assert.Equal("http://example.com/c", Assert.Single(next)?.Key);
    }

    /// <summary>The point of clearing: a snapshot being written does not keep a dropped entry's body alive.</summary>
    [Fact]
    public void Snapshot_EntryDroppedWhileWritten_BodyCanBeCollected()
    {
        var (cache, clock) = Cache();
        var body = StoreAndWatchBody(cache, clock, "/a");
        var writing = cache.Snapshot(out _);

        cache.Purge("http", "example.com", "/a");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(body.IsAlive);
        GC.KeepAlive(writing);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference StoreAndWatchBody(ResponseCache cache, TestSupport.ManualTimeProvider clock, string target) =>
        new(Put(cache, clock, target, "body")!.Body);

    [Fact]
    public void ChangeVersion_MovesOnEveryMutationNotOnReads()
    {
        var (cache, clock) = Cache();
        long v0 = cache.ChangeVersion;
        var a = Put(cache, clock, "/a", "x")!;
        long v1 = cache.ChangeVersion;
        cache.Lookup(Get("/a"), "http");
        cache.Lookup(Get("/zzz"), "http");
        cache.Snapshot(out _);
        long v2 = cache.ChangeVersion;
        cache.Refresh(Get("/a"), "http", a, Response(304), Start, Start);
        long v3 = cache.ChangeVersion;
        cache.Purge("http", "example.com", "/a");
        long v4 = cache.ChangeVersion;
        cache.Purge("http", "example.com", "/a");
        long v5 = cache.ChangeVersion;

        Assert.True(v1 > v0);
        Assert.Equal(v1, v2);
        Assert.True(v3 > v2);
        Assert.True(v4 > v3);
        Assert.Equal(v4, v5);
    }

    [Fact]
    public void Restore_FromSnapshot_RebuildsEntriesAndLruOrder()
    {
        var (source, clock) = Cache();
        Put(source, clock, Get("/a", ("Accept", "t")), Ok(("Vary", "Accept"), ("Cache-Control", "max-age=60")), [1]);
        Put(source, clock, "/b", "b", ("Cache-Control", "max-age=60"));
        Put(source, clock, "/c", "c", ("Cache-Control", "max-age=60"));
        source.Lookup(Get("/a", ("Accept", "t")), "http");
        var saved = Entries(source);
        var (target, _) = Cache();

        int restored = target.Restore(saved);

        Assert.Equal(3, restored);
        Assert.Equal(saved.Select(e => e.Key), Entries(target).Select(e => e.Key));
        Assert.Equal(source.Counters().Bytes, target.Counters().Bytes);
        Assert.Equal(CacheLookupKind.Fresh, target.Lookup(Get("/a", ("Accept", "t")), "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, target.Lookup(Get("/a", ("Accept", "u")), "http").Kind);
    }

    [Fact]
    public void Restore_ExpiredWithoutStaleWindow_Dropped()
    {
        var (source, clock) = Cache();
        Put(source, clock, "/short", "x", ("Cache-Control", "max-age=10"));
        Put(source, clock, "/swr", "x", ("Cache-Control", "max-age=10, stale-while-revalidate=100"));
        Put(source, clock, "/strict", "x", ("Cache-Control", "max-age=10, stale-if-error=100, must-revalidate"));
        Put(source, clock, "/long", "x", ("Cache-Control", "max-age=1000"));
        var (target, targetClock) = Cache();
        targetClock.Advance(TimeSpan.FromSeconds(50));

        target.Restore(Entries(source));

        Assert.Equal(["/long", "/swr"], Entries(target).Select(e => e.Key[18..]).ToArray());
    }

    [Fact]
    public void Restore_MoreThanCacheSize_KeepsMostRecent()
    {
        var (source, clock) = Cache();
        var sizes = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            sizes.Add(Put(source, clock, "/" + i, "0123456789")!.Size);
        }
        var (target, _) = Cache(Options(cacheSize: sizes.Sum() - 1));

        target.Restore(Entries(source));

        Assert.Equal(["/4", "/3", "/2", "/1"], Entries(target).Select(e => e.Key[18..]).ToArray());
        Assert.True(target.Counters().Bytes <= sizes.Sum() - 1);
    }

    [Fact]
    public void Restore_CorruptOrInconsistentRecords_Skipped()
    {
        var (source, clock) = Cache();
        var good = Put(source, clock, "/good", "x")!;
        var records = new[]
        {
            new PersistedEntry("http://example.com/bad", Encoding.Latin1.GetBytes("garbage"), [], Start, Start.AddMinutes(1)),
            good.Persisted with { Key = "http://example.com/len", Body = [1, 2] },
            good.Persisted with { Key = good.Key + "\naccept=x" },
            good.Persisted with { Key = "http://example.com/time", ExpiresAt = Start.AddMinutes(-1) },
            good.Persisted,
        };
        var (target, _) = Cache();

        Assert.Equal(1, target.Restore(records));
        Assert.Equal([good.Key], Entries(target).Select(e => e.Key).ToArray());
    }

    [Fact]
    public void Restore_AlreadyStoredKey_Skipped()
    {
        var (cache, clock) = Cache();
        var current = Put(cache, clock, "/a", "new")!;
        var (other, otherClock) = Cache();
        var saved = Put(other, otherClock, "/a", "old")!;

        Assert.Equal(0, cache.Restore([saved.Persisted]));
        Assert.Same(current, cache.Lookup(Get("/a"), "http").Entry);
    }
}
