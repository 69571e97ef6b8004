using System.Text;
using InverseProxy.Caching;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class ResponseCacheTests
{
    [Fact]
    public void Lookup_AfterStore_FreshHitWithStoredBody()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "hello", ("Cache-Control", "max-age=60"));

        var lookup = cache.Lookup(Get("/a"), "http");

        Assert.Equal(CacheLookupKind.Fresh, lookup.Kind);
        Assert.Equal("hello", Encoding.ASCII.GetString(lookup.Entry!.Body));
        Assert.Equal(1, cache.Counters().Hits);
    }

    [Fact]
    public void Lookup_Nothing_MissCounted()
    {
        var (cache, _) = Cache();

        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(new CacheCounters(0, 1, 0, 0, 0, 0, 0, 0), cache.Counters());
        Assert.Equal(0, cache.Counters().HitRatio);
    }

    [Fact]
    public void Lookup_HeadRequest_AnsweredFromStoredGet()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=60"));

        Assert.Equal(CacheLookupKind.Fresh, cache.Lookup(Request("HEAD", "/a"), "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Request("POST", "/a"), "http").Kind);
    }

    [Fact]
    public void Lookup_AfterTtl_StaleThenStillStaleNotGone()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "x");

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CacheLookupKind.Fresh, cache.Lookup(Get("/a"), "http").Kind);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CacheLookupKind.Stale, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(new[] { 1L, 1L }, new[] { cache.Counters().Hits, cache.Counters().Misses });
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("max-age=0")]
    public void Lookup_RequestDemandsValidation_MustRevalidate(string cacheControl)
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=60"));

        var lookup = cache.Lookup(Get("/a", ("Cache-Control", cacheControl)), "http");

        Assert.Equal(CacheLookupKind.MustRevalidate, lookup.Kind);
        Assert.NotNull(lookup.Entry);
    }

    [Fact]
    public void Lookup_PragmaNoCache_MustRevalidate()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=60"));

        Assert.Equal(CacheLookupKind.MustRevalidate, cache.Lookup(Get("/a", ("Pragma", "no-cache")), "http").Kind);
    }

    [Fact]
    public void Lookup_StaleWithinStaleWhileRevalidate_MayServeWhileRevalidating()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, "/a", "x", ("Cache-Control", "max-age=10, stale-while-revalidate=20, stale-if-error=100"));
        clock.Advance(TimeSpan.FromSeconds(25));

        var lookup = cache.Lookup(Get("/a"), "http");
        cache.RecordStaleServed();

        Assert.Equal(CacheLookupKind.Stale, lookup.Kind);
        Assert.True(lookup.MayServeWhileRevalidating(clock.GetUtcNow()));
        Assert.False(lookup.MayServeWhileRevalidating(clock.GetUtcNow().AddSeconds(6)));
        Assert.True(lookup.MayServeOnError(clock.GetUtcNow().AddSeconds(6)));
        Assert.Equal(1, cache.Counters().StaleServed);
    }

    [Fact]
    public void Store_Entry_HeadersNormalisedForStorage()
    {
        var (cache, clock) = Cache();
        var response = Ok(("Cache-Control", "max-age=60"), ("Transfer-Encoding", "chunked"), ("Connection", "close, X-Hop"),
            ("X-Hop", "1"), ("Keep-Alive", "timeout=5"), ("Age", "3"), ("ETag", "\"v1\""), ("X-End", "2"));

        var entry = Put(cache, clock, Get("/a"), response, Encoding.ASCII.GetBytes("abc"))!;

        Assert.Equal(["Cache-Control", "ETag", "X-End", "Content-Length"], entry.Headers.Select(h => h.Name).ToArray());
        Assert.Equal("3", entry.Headers.Get("Content-Length"));
        Assert.Equal("\"v1\"", entry.ETag);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nETag: \"v1\"\r\nX-End: 2\r\nContent-Length: 3\r\n",
            Encoding.Latin1.GetString(entry.HeadBytes));
    }

    [Fact]
    public void Store_NoContent_HasNoContentLength()
    {
        var (cache, clock) = Cache();

        var entry = Put(cache, clock, Get("/a"), Response(204, ("Cache-Control", "max-age=60")), [])!;

        Assert.Null(entry.Headers.Get("Content-Length"));
    }

    [Fact]
    public void Store_NotStorableDecision_NothingStored()
    {
        var (cache, clock) = Cache();

        Assert.Null(Put(cache, clock, "/a", "x", ("Cache-Control", "no-store")));
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(0, cache.Counters().Stores);
    }

    [Fact]
    public void Store_SameKeyTwice_ReplacesAndKeepsByteCountExact()
    {
        var (cache, clock) = Cache();
        var first = Put(cache, clock, "/a", "one")!;
        var second = Put(cache, clock, "/a", "second")!;

        Assert.Same(second, cache.Lookup(Get("/a"), "http").Entry);
        Assert.Equal(1, cache.Counters().Entries);
        Assert.Equal(second.Size, cache.Counters().Bytes);
        Assert.NotEqual(first.Size, second.Size);
    }

    [Fact]
    public void Size_IsFixedOverheadPlusStringCharsTwicePlusHeadAndBodyBytes()
    {
        var (cache, clock) = Cache();
        var a = Put(cache, clock, "/a", "12345")!;
        var b = Put(cache, clock, "/bb", "", ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""))!;

        Assert.Equal(CachedResponse.FixedOverheadBytes + (2 * "http://example.com/a".Length) + a.HeadBytes.Length + 5, a.Size);
        Assert.Equal(CachedResponse.FixedOverheadBytes + (2 * ("http://example.com/bb".Length + 4)) + b.HeadBytes.Length, b.Size);
        Assert.Equal(a.Size + b.Size, cache.Counters().Bytes);
        Assert.Equal(2, cache.Counters().Entries);
    }

    [Fact]
    public void Store_BodyOverMaxEntrySize_NotStored()
    {
        var (cache, clock) = Cache(Options(maxEntrySize: 4));

        Assert.Null(Put(cache, clock, "/a", "12345"));
        Assert.NotNull(Put(cache, clock, "/a", "1234"));
    }

    [Fact]
    public void Store_EntryLargerThanWholeCache_NotStoredAndNothingEvicted()
    {
        var (cache, clock) = Cache(Options(cacheSize: 1000, maxEntrySize: 2000));
        Put(cache, clock, "/a", "x");

        Assert.Null(Put(cache, clock, "/b", new string('x', 1000)));
        Assert.Equal(CacheLookupKind.Fresh, cache.Lookup(Get("/a"), "http").Kind);
    }

    [Fact]
    public void Store_OverCapacity_EvictsLeastRecentlyUsedFirst()
    {
        long size = SizeOf("/1", "0123456789");
        var (cache, clock) = Cache(Options(cacheSize: (3 * size) + 1));
        Put(cache, clock, "/1", "0123456789");
        Put(cache, clock, "/2", "0123456789");
        Put(cache, clock, "/3", "0123456789");
        cache.Lookup(Get("/1"), "http");

        Put(cache, clock, "/4", "0123456789");

        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/2"), "http").Kind);
        Assert.Equal(["/4", "/1", "/3"], Entries(cache).Select(e => e.Key[^2..]).ToArray());
        Assert.Equal(1, cache.Counters().Evictions);
        Assert.Equal(3 * size, cache.Counters().Bytes);
    }

    [Fact]
    public void Store_AfterDroppingTheThreshold_AsksForOneCollectionThenCountsAgain()
    {
        long size = SizeOf("/1", "0123456789");
        int collections = 0;
        var clock = new TestSupport.ManualTimeProvider(Start);
        var cache = new ResponseCache(Options(cacheSize: 8 * size), clock)
        {
            CollectDropped = () => collections++,
            CollectAfterDroppedBytes = 2 * size,
        };
        for (int i = 0; i < 8; i++)
        {
            Put(cache, clock, "/" + i, "0123456789");
        }
        Assert.Equal(0, collections); // full, nothing dropped yet

        Put(cache, clock, "/8", "0123456789");
        Assert.Equal(0, collections); // one entry dropped
        Put(cache, clock, "/9", "0123456789");
        Assert.Equal(1, collections); // two
        Put(cache, clock, "/9", "0123456789"); // a replaced entry is dropped too
        Assert.Equal(1, collections);
        Put(cache, clock, "/10", "0123456789");
        Assert.Equal(2, collections);
    }

    [Theory]
    [InlineData(1L << 20, 64L << 20)]   // a small cache: at least 64 MB
    [InlineData(256L << 20, 64L << 20)]
    [InlineData(4L << 30, 512L << 20)]  // a large one: an eighth
    public void CollectAfterDroppedBytes_AnEighthOfCacheSizeAndAtLeast64MB(long cacheSize, long expected)
    {
        Assert.Equal(expected, new ResponseCache(Options(cacheSize: cacheSize), TimeProvider.System).CollectAfterDroppedBytes);
    }

    [Fact]
    public void CacheOff_LookupMissesAndStoreDoesNothing()
    {
        var (cache, clock) = Cache(Options(cacheSize: 0));
        var decision = StoreDecision.Storable("max-age", TimeSpan.FromMinutes(1), Start);

        Assert.Null(cache.Store(Get("/a"), "http", Ok(), [1], decision));
        Assert.Null(Put(cache, clock, "/a", "x"));
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a"), "http").Kind);
        Assert.Equal(0, cache.Counters().Entries);
        Assert.False(cache.Enabled);
    }

    [Fact]
    public void Lookup_VaryMatchAndMismatch_SelectsTheRightVariant()
    {
        var (cache, clock) = Cache();
        var gzip = Get("/a", ("Accept-Encoding", "gzip"));
        var plain = Get("/a");
        Put(cache, clock, gzip, Ok(("Vary", "Accept-Encoding"), ("Cache-Control", "max-age=60")), [1]);

        Assert.Equal(CacheLookupKind.Fresh, cache.Lookup(Get("/a", ("accept-encoding", " gzip ")), "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(plain, "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a", ("Accept-Encoding", "br")), "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a", ("Accept-Encoding", "")), "http").Kind);

        Put(cache, clock, plain, Ok(("Vary", "Accept-Encoding"), ("Cache-Control", "max-age=60")), [2]);

        Assert.Equal([2], cache.Lookup(plain, "http").Entry!.Body);
        Assert.Equal([1], cache.Lookup(gzip, "http").Entry!.Body);
        Assert.Equal(2, cache.Counters().Entries);
    }

    [Fact]
    public void Store_OverCapacity_EvictsAVariantFromTheMiddleAndKeepsTheOthersFindable()
    {
        static InverseProxy.Http.RequestHead In(string language) => Get("/a", ("Accept-Language", language));
        var vary = Ok(("Vary", "Accept-Language"), ("Cache-Control", "max-age=60"));
        long size = SizeOf(In("en"), vary, [1]);
        var (cache, clock) = Cache(Options(cacheSize: (3 * size) + 2));
        Put(cache, clock, In("en"), vary, [1]);
        Put(cache, clock, In("fr"), vary, [2]);
        Put(cache, clock, In("de"), vary, [3]);   // chain: de, fr, en
        cache.Lookup(In("en"), "http");
        cache.Lookup(In("de"), "http");            // fr is now least recently used

        Put(cache, clock, "/b", "x");

        Assert.Equal(1, cache.Counters().Evictions);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(In("fr"), "http").Kind);
        Assert.Equal([1], cache.Lookup(In("en"), "http").Entry!.Body);
        Assert.Equal([3], cache.Lookup(In("de"), "http").Entry!.Body);
        Assert.Equal(1, cache.Invalidate("http", "example.com", "/b"));
        Assert.Equal(2, cache.Invalidate("http", "example.com", "/a"));
        Assert.Equal(0, cache.Counters().Entries);
        Assert.Equal(0, cache.Counters().Bytes);
    }

    [Fact]
    public void Store_VaryChangesNames_OldVariantsDropped()
    {
        var (cache, clock) = Cache();
        Put(cache, clock, Get("/a", ("Accept", "x")), Ok(("Vary", "Accept")), [1]);

        Put(cache, clock, Get("/a", ("Accept", "x")), Ok(("Vary", "Accept-Language")), [2]);

        Assert.Equal(1, cache.Counters().Entries);
        Assert.Equal([2], cache.Lookup(Get("/a", ("Accept", "other")), "http").Entry!.Body);
    }

    [Fact]
    public void Store_ManyVariants_BoundedPerKey()
    {
        var (cache, clock) = Cache();
        for (int i = 0; i < ResponseCache.MaxVariantsPerKey + 5; i++)
        {
            Put(cache, clock, Get("/a", ("X-V", i.ToString())), Ok(("Vary", "X-V")), [1]);
        }

        Assert.Equal(ResponseCache.MaxVariantsPerKey, cache.Counters().Entries);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a", ("X-V", "0")), "http").Kind);
    }

    [Fact]
    public void Store_BodyDisagreesWithContentLength_NotStored()
    {
        var (cache, clock) = Cache();

        Assert.Null(Put(cache, clock, Get("/a"), Ok(("Content-Length", "10")), [1, 2, 3]));
        Assert.NotNull(Put(cache, clock, Get("/a"), Ok(("Content-Length", "3")), [1, 2, 3]));
    }

    [Fact]
    public void ConcurrentStoreLookupPurge_ByteCountMatchesEntriesAfterwards()
    {
        var (cache, clock) = Cache(Options(cacheSize: 20_000));
        var workers = Enumerable.Range(0, 8).Select(w => new Thread(() =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                string target = "/" + ((i * 7) + w) % 50;
                switch (i % 3)
                {
                    case 0:
                        Put(cache, clock, target, new string('x', i % 200));
                        break;
                    case 1:
                        cache.Lookup(Get(target), "http");
                        break;
                    default:
                        cache.Purge("http", "example.com", target);
                        break;
                }
            }
        })).ToList();

        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        var snapshot = Entries(cache);
        long bytes = snapshot.Sum(e => CachedResponse.TryRestore(e, out var restored) ? restored!.Size : throw new InvalidOperationException(e.Key));
        Assert.Equal(bytes, cache.Counters().Bytes);
        Assert.Equal(snapshot.Length, cache.Counters().Entries);
        Assert.True(bytes <= 20_000);
        Assert.Equal(snapshot.Length, snapshot.Select(e => e.Key).Distinct().Count());
    }
}
