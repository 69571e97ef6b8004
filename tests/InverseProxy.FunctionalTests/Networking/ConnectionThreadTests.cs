using InverseProxy.FunctionalTests.Http;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Networking;

// Alone: the allocation counts rely on decoded strings the process shares (Http.RecentStrings), which a test running
// beside them could displace, making a connection allocate a string again.
[Collection(RobustnessCollection.Name)]
public sealed class ConnectionThreadTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void ManyConnections_AnySpareThreadSetting_EachServedOnItsOwnThread(int spares)
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = spares, origin.Port);
        var clients = Enumerable.Range(0, 40).Select(_ => new RawClient(proxy.Port)).ToList();
        try
        {
            // Every connection stays open at once, so each needs a thread of its own for its second request.
            foreach (var client in clients)
            {
                Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }
            foreach (var client in clients)
            {
                Assert.Equal(200, client.Exchange("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }
            Assert.Equal(40, proxy.Server.Metrics.ActiveConnections);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void NewConnections_CacheHits_AllocateNothingOnTheirThreads()
    {
        // Each thread that allocates takes an allocation quantum of its own, so a burst of thousands of new
        // connections allocating even one object each sets off collections that stop every thread. Everything a
        // connection needs is made by the accept loop; its thread allocates nothing for a new connection or a hit.
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("cached", ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 4, origin.Port);
        const string Request = "GET /hit?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: probe/1.0\r\nAccept: */*\r\n\r\n";
        for (int i = 0; i < 60; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3);
        }
        long before = proxy.Server.Metrics.ConnectionThreadAllocatedBytes;

        for (int i = 0; i < 40; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3);
        }

        Assert.Equal(1, origin.RequestCount);
        Assert.Equal(before, proxy.Server.Metrics.ConnectionThreadAllocatedBytes);
    }

    [Fact]
    public void NewConnections_CacheHitsOnACompressibleResponse_AllocateNothingOnTheirThreads()
    {
        // A compressible type above compress_min_size is stored as a variant the proxy negotiated (Vary:
        // Accept-Encoding); matching a request to it and reading its coding must not allocate either.
        string text = new('t', 2048);
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text(text, ("Content-Type", "text/plain"), ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 4, origin.Port);
        const string Request = "GET /text HTTP/1.1\r\nHost: example.test\r\nUser-Agent: probe/1.0\r\nAccept: */*\r\n\r\n";
        using (var probe = new RawClient(proxy.Port))
        {
            probe.Exchange(Request);
            Assert.Contains("Accept-Encoding", probe.Exchange(Request).Header("Vary") ?? "");
        }
        for (int i = 0; i < 60; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3, text);
        }
        long before = proxy.Server.Metrics.ConnectionThreadAllocatedBytes;

        for (int i = 0; i < 40; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3, text);
        }

        Assert.Equal(1, origin.RequestCount);
        Assert.Equal(before, proxy.Server.Metrics.ConnectionThreadAllocatedBytes);
    }

    [Fact]
    public void NewConnections_CacheHitsWithRedisSet_AllocateNothingOnTheirThreads()
    {
        // The same with a second-level cache: a hit in memory never reaches Redis. The entry comes to this proxy
        // through Redis (stored by another instance), so the origin is asked once for both.
        using var redis = RedisServer.Start();
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("cached", ("Cache-Control", "max-age=600")));
        using var other = ProxyInstance.Start(o => (o.Redis, o.RedisTimeout) = (redis.Address, TimeSpan.FromSeconds(1)), origin.Port);
        using var proxy = ProxyInstance.Start(o => (o.SpareThreads, o.Redis, o.RedisTimeout) = (4, redis.Address, TimeSpan.FromSeconds(1)), origin.Port);
        const string Request = "GET /hit?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: probe/1.0\r\nAccept: */*\r\n\r\n";
        ServeOnNewConnection(other, Request, requests: 1);
        Assert.True(Poll.Until(() => other.Server.Cache!.SecondLevel!.Counters().Stores == 1));
        for (int i = 0; i < 60; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3);
        }
        long before = proxy.Server.Metrics.ConnectionThreadAllocatedBytes;
        var sharedBefore = proxy.Server.Cache!.SecondLevel!.Counters();

        for (int i = 0; i < 40; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3);
        }

        Assert.Equal(1, origin.RequestCount);
        Assert.Equal(1, sharedBefore.Hits);
        Assert.Equal(sharedBefore, proxy.Server.Cache.SecondLevel.Counters());
        Assert.Equal(before, proxy.Server.Metrics.ConnectionThreadAllocatedBytes);
    }

    [Fact]
    public void PassThrough_NewTargetConnectionForEachRequest_ReadBufferNotAllocatedForEach()
    {
        // Thousands of concurrent pass-through requests open far more target connections than the pool keeps. A
        // target connection reads into its renting thread's buffer: opening one costs a socket, not a 32 KB buffer.
        using var origin = new ScriptedOrigin(_ => new OriginResponse
        {
            Body = "fresh"u8.ToArray(),
            Headers = { new("Cache-Control", "no-store") },
            CloseAfter = true,
        });
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 4, origin.Port);
        const string Request = "GET /pass HTTP/1.1\r\nHost: example.test\r\n\r\n";
        for (int i = 0; i < 20; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3, "fresh");
        }
        long before = proxy.Server.Metrics.ConnectionThreadAllocatedBytes;
        int connectionsBefore = origin.ConnectionCount;

        for (int i = 0; i < 20; i++)
        {
            ServeOnNewConnection(proxy, Request, requests: 3, "fresh");
        }

        int opened = origin.ConnectionCount - connectionsBefore;
        long perConnection = (proxy.Server.Metrics.ConnectionThreadAllocatedBytes - before) / opened;
        Assert.Equal(60, opened);
        Assert.True(perConnection < 8 * 1024, $"{perConnection} bytes allocated for each target connection");
    }

    private static void ServeOnNewConnection(ProxyInstance proxy, string request, int requests, string body = "cached")
    {
        using (var client = new RawClient(proxy.Port))
        {
            for (int i = 0; i < requests; i++)
            {
                var response = client.Exchange(request);
                Assert.Equal(200, response.Status());
                Assert.Equal(body, response.BodyText);
            }
        }
        // The thread adds its count when its connection ends.
        Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Start_SpareThreads_ThreadsExistBeforeTheFirstConnection()
    {
        using var origin = new ScriptedOrigin();

        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 200, origin.Port);

        Assert.Equal(0, proxy.Server.Metrics.AcceptedConnections);
        Assert.True(proxy.Server.ConnectionThreads >= 200, $"{proxy.Server.ConnectionThreads} threads");
    }

    [Fact]
    public void ConnectionsOneAfterAnother_ReuseTheParkedThreads()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 4, origin.Port);
        int before = proxy.Server.ConnectionThreads;

        for (int i = 0; i < 50; i++)
        {
            using (var client = new RawClient(proxy.Port))
            {
                Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }
            Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(5)));
        }

        // A closed connection's thread parks and takes a later one: one client at a time needs the spares and the
        // one that refilled them, not a thread per connection.
        Assert.True(proxy.Server.ConnectionThreads <= before + 1, $"{before} threads before, {proxy.Server.ConnectionThreads} after");
    }

    [Fact]
    public void BurstUpToMaxConnections_SpareRefillStopsAtTheLimit()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => { o.SpareThreads = 30; o.MaxConnections = 40; }, origin.Port);
        var clients = Enumerable.Range(0, 40).Select(_ => new RawClient(proxy.Port)).ToList();
        try
        {
            foreach (var client in clients)
            {
                Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }

            // 40 busy threads; refilling all 30 spares (70 threads) would go past what max_connections can ever use.
            // A thread or two may still be closing an earlier connection.
            Poll.Until(() => proxy.Server.ConnectionThreads >= 40, TimeSpan.FromSeconds(5));
            Thread.Sleep(200);
            Assert.InRange(proxy.Server.ConnectionThreads, 40, 42);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void ThreadReusedForTheNextConnection_NothingOfTheLastConnectionsBytesIsRead()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        // One spare thread and one client at a time: the second connection runs on the first one's thread and buffers.
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 1, origin.Port);
        using (var first = new RawClient(proxy.Port))
        {
            first.Send("GET /first HTTP/1.1\r\nHost: h\r\n\r\nGET /left-over HTTP/1.1\r\nHost: h\r\nX-Pad: " + new string('x', 2000));
            Assert.Equal(200, first.ReadResponse().Status());
        }
        Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(5)));

        using var second = new RawClient(proxy.Port);
        Assert.Equal(200, second.Exchange("GET /second HTTP/1.1\r\nHost: h\r\n\r\n").Status());

        Assert.Equal(["/first", "/second"], origin.Requests.Select(r => r.Target));
    }

    [Fact]
    public void SparesRefilledDuringABurst_NextConnectionsGoToSparesThatHoldBuffers()
    {
        // A burst takes spares while the spawners make new ones, which park on top of the spares left. Those hold
        // their buffers since start-up; a new thread would make its 17 KB at its first connection, in the burst.
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 4, origin.Port);
        Assert.Equal(4, proxy.Server.ConnectionBuffersMade);
        var first = Enumerable.Range(0, 2).Select(_ => new RawClient(proxy.Port)).ToList();
        var next = new List<RawClient>();
        try
        {
            first.ForEach(c => Assert.Equal(200, c.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Status()));
            // Two busy threads, two spares left from start-up and two new ones parked after them.
            Assert.True(Poll.Until(() => proxy.Server.ConnectionThreads >= 6, TimeSpan.FromSeconds(5)), $"{proxy.Server.ConnectionThreads} threads");

            next.AddRange(Enumerable.Range(0, 2).Select(_ => new RawClient(proxy.Port)));
            next.ForEach(c => Assert.Equal(200, c.Exchange("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").Status()));

            Assert.Equal(4, proxy.Server.ConnectionBuffersMade);
        }
        finally
        {
            first.Concat(next).ToList().ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void BurstTakesEverySpare_SparesMadeUpAgainWhileItsConnectionsStayOpen()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 10, origin.Port);
        var clients = Enumerable.Range(0, 10).Select(_ => new RawClient(proxy.Port)).ToList();
        try
        {
            foreach (var client in clients)
            {
                Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }

            // Ten busy threads, and ten parked again for the next burst.
            Assert.True(Poll.Until(() => proxy.Server.ConnectionThreads >= 20, TimeSpan.FromSeconds(5)), $"{proxy.Server.ConnectionThreads} threads");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
