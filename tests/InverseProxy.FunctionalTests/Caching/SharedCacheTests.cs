using System.Diagnostics;
using System.Net;
using InverseProxy.Caching.Shared;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>The second-level cache on a real redis-server shared by several proxies.</summary>
public sealed class SharedCacheTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public void Get_StoredByA_ServedByBFromRedis_OriginAskedOnce()
    {
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body of " + r.Target, ("Cache-Control", "max-age=60")));
        using var a = StartShared(redis, origin);
        using var b = StartShared(redis, origin);

        Assert.Equal("MISS", Get(a.Port, "/x").Header("X-Cache"));
        WaitForSharedStores(a, 1);
        var fromB = Get(b.Port, "/x");
        var again = Get(b.Port, "/x");

        Assert.Equal(1, origin.RequestCount);
        Assert.Equal("body of /x", fromB.BodyText);
        Assert.Equal("HIT", fromB.Header("X-Cache"));
        Assert.Equal("body of /x", again.BodyText);
        Assert.Equal(1, b.Server.Cache!.SecondLevel!.Counters().Hits); // the second came from B's memory
        Assert.Equal(1, b.Server.Cache.Counters().Entries);
    }

    [Fact]
    public void Get_VaryVariantsStoredByA_BGetsTheMatchingOneAndMissesAnother()
    {
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("in " + r.Header("Accept-Language"),
            ("Cache-Control", "max-age=60"), ("Vary", "Accept-Language")));
        using var a = StartShared(redis, origin);
        using var b = StartShared(redis, origin);

        Get(a.Port, "/v", "Accept-Language: de");
        Get(a.Port, "/v", "Accept-Language: en");
        WaitForSharedStores(a, 2);
        var de = Get(b.Port, "/v", "Accept-Language: de");
        var en = Get(b.Port, "/v", "Accept-Language: en");
        var fr = Get(b.Port, "/v", "Accept-Language: fr");

        Assert.Equal(("in de", "in en", "in fr"), (de.BodyText, en.BodyText, fr.BodyText));
        Assert.Equal(3, origin.RequestCount);
        Assert.Equal("MISS", fr.Header("X-Cache"));
    }

    [Fact]
    public void Purge_OnA_RemovedFromRedisAndFromBsMemory_BMisses()
    {
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("stored", ("Cache-Control", "max-age=60")));
        using var a = StartShared(redis, origin);
        using var b = StartShared(redis, origin);
        Get(a.Port, "/p");
        WaitForSharedStores(a, 1);
        Assert.Equal("HIT", Get(b.Port, "/p").Header("X-Cache"));
        Assert.Equal(1, b.Server.Cache!.Counters().Entries);

        Assert.Equal(200, Send(a.Port, "PURGE", "/p").Status());

        Assert.True(Poll.Until(() => b.Server.Cache.Counters().Entries == 0), "B still holds the purged entry");
        Assert.Equal("MISS", Get(b.Port, "/p").Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Post_OnA_InvalidatesTheStoredGetOnB()
    {
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(r => r.Method == "POST"
            ? OriginResponse.Text("posted")
            : OriginResponse.Text("stored", ("Cache-Control", "max-age=60")));
        using var a = StartShared(redis, origin);
        using var b = StartShared(redis, origin);
        Get(a.Port, "/u");
        WaitForSharedStores(a, 1);
        Assert.Equal("HIT", Get(b.Port, "/u").Header("X-Cache"));

        Assert.Equal(200, Send(a.Port, "POST", "/u", "Content-Length: 0").Status());

        Assert.True(Poll.Until(() => b.Server.Cache!.Counters().Entries == 0), "B still holds the invalidated entry");
        Assert.Equal("MISS", Get(b.Port, "/u").Header("X-Cache"));
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Requests_RedisHungThenKilledThenRestarted_NoErrorsBoundedWaitsAndSharedHitsResume()
    {
        var redisTimeout = TimeSpan.FromMilliseconds(200);
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body of " + r.Target, ("Cache-Control", "max-age=60")));
        using var a = StartShared(redis, origin, redisTimeout);
        using var b = StartShared(redis, origin, redisTimeout);
        var normalMiss = TimeSpan.Zero;
        for (int i = 0; i < 10; i++)
        {
            normalMiss = Max(normalMiss, Timed(a, $"/warm{i}"));
        }
        // Generous: a request may wait redis_timeout once, and the machine is shared.
        var limit = redisTimeout + normalMiss * 3 + TimeSpan.FromSeconds(1);

        var slowest = TimeSpan.Zero;
        redis.Pause(); // accepts nothing more and answers nothing: the worst case, a hung server
        for (int i = 0; i < 20; i++)
        {
            slowest = Max(slowest, Timed(a, $"/hung{i}"));
        }
        Assert.Equal(SharedCircuitState.Open, a.Server.Cache!.SecondLevel!.Circuit.State);
        redis.Kill();
        for (int i = 0; i < 20; i++)
        {
            slowest = Max(slowest, Timed(a, $"/dead{i}"));
        }
        redis.Restart();

        Assert.True(slowest < limit, $"slowest request {slowest.TotalMilliseconds} ms, limit {limit.TotalMilliseconds} ms");
        Assert.True(a.Server.Cache.SecondLevel.Counters().Errors >= SharedCircuit.FailureThreshold);
        // Hits resume: a URL A stores after the restart is served by B from Redis. Each try uses a new URL, as a
        // try that missed (a lookup slower than redis_timeout on a loaded machine) leaves the entry in B's memory.
        var aShared = a.Server.Cache.SecondLevel;
        var bShared = b.Server.Cache!.SecondLevel!;
        int n = 0;
        int asked = 0;
        WireMessage? fromB = null;
        bool resumed = Poll.Until(() =>
        {
            string target = $"/after{n++}";
            long stores = aShared.Counters().Stores;
            Timed(a, target);
            if (!Poll.Until(() => aShared.Counters().Stores > stores, TimeSpan.FromSeconds(1)))
            {
                return false;
            }
            long hits = bShared.Counters().Hits;
            asked = origin.RequestCount;
            fromB = Get(b.Port, target);
            return bShared.Counters().Hits > hits;
        }, TimeSpan.FromSeconds(20));

        Assert.True(resumed, "no shared hit after Redis came back");
        Assert.Equal("HIT", fromB!.Header("X-Cache"));
        Assert.Equal(asked, origin.RequestCount);
    }

    private static ProxyInstance StartShared(RedisServer redis, ScriptedOrigin origin, TimeSpan? timeout = null)
    {
        var proxy = ProxyInstance.Start(o =>
        {
            o.Redis = redis.Address;
            o.RedisTimeout = timeout ?? Timeout;
            o.PurgeAllowed = [IPAddress.Loopback];
        }, origin.Port);
        var shared = proxy.Server.Cache!.SecondLevel!;
        Assert.True(Poll.Until(() => shared.IsConnected && shared.IsSubscribed), "not connected to Redis");
        return proxy;
    }

    private static void WaitForSharedStores(ProxyInstance proxy, long count) =>
        Assert.True(Poll.Until(() => proxy.Server.Cache!.SecondLevel!.Counters().Stores >= count), "not written to Redis");

    /// <summary>One GET, asserted to succeed; returns how long it took.</summary>
    private static TimeSpan Timed(ProxyInstance proxy, string target)
    {
        var clock = Stopwatch.StartNew();
        var response = Get(proxy.Port, target);
        var took = clock.Elapsed;
        Assert.Equal(200, response.Status());
        Assert.Equal("body of " + target, response.BodyText);
        return took;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
