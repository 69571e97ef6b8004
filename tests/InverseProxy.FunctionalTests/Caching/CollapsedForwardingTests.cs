using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Caching;

public sealed class CollapsedForwardingTests
{
    private const int Clients = 100;

    [Fact]
    public void Get_HundredConcurrentMissesForOneKey_OriginSeesOneRequest()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = "slow body"u8.ToArray(),
            Headers = [new("Cache-Control", "max-age=60")],
            Delay = TimeSpan.FromMilliseconds(300),
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        var clients = Enumerable.Range(0, Clients).Select(_ => new RawClient(proxy.Port, receiveTimeoutMs: 30_000)).ToList();
        var results = new WireMessage?[Clients];
        var errors = new Exception?[Clients];
        using var go = new ManualResetEventSlim(false);

        var threads = Enumerable.Range(0, Clients).Select(i => new Thread(() =>
        {
            go.Wait();
            try
            {
                results[i] = clients[i].Exchange("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        go.Set();
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a client never got its answer"));
        clients.ForEach(c => c.Dispose());

        Assert.All(errors, e => Assert.Null(e));
        Assert.All(results, r => Assert.Equal(("HTTP/1.1 200 OK", "slow body"), (r!.StartLine, r.BodyText)));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_UncacheableStreamInFlight_SecondClientNotHeldUntilItEnds()
    {
        using var release = new ManualResetEventSlim(false);
        int requests = 0;
        using var origin = new LoopbackListener("streaming-uncacheable", (socket, _) =>
        {
            var reader = new WireReader(socket);
            while (reader.ReadHead() is not null)
            {
                bool first = Interlocked.Increment(ref requests) == 1;
                socket.Send("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"u8);
                if (first)
                {
                    // The first stream's second chunk comes only once the test has seen the second client answered.
                    release.Wait(TimeSpan.FromSeconds(20));
                }
                socket.Send("6\r\nsecond\r\n0\r\n\r\n"u8);
            }
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var firstClient = new RawClient(proxy.Port);
        using var secondClient = new RawClient(proxy.Port, receiveTimeoutMs: 5_000);
        try
        {
            firstClient.Send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            var firstHead = firstClient.Reader.ReadHead();

            // Before: the second client waited for the first stream to end (here: never, until released).
            var second = secondClient.Exchange("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");

            Assert.NotNull(firstHead);
            Assert.Equal("firstsecond", second.BodyText);
            Assert.Equal(2, Volatile.Read(ref requests));
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Get_NoCacheStormOnStoredEntry_OneRevalidationAtATime()
    {
        const int storm = 20;
        using var origin = new ScriptedOrigin(r => r.Header("If-None-Match") == "\"v1\""
            ? new OriginResponse
            {
                Status = 304,
                Reason = "Not Modified",
                Headers = [new("ETag", "\"v1\""), new("Cache-Control", "max-age=60")],
                Delay = TimeSpan.FromMilliseconds(500),
            }
            : OriginResponse.Text("stored body", ("ETag", "\"v1\""), ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        CacheProbe.GetStored(proxy, "/hot");
        var clients = Enumerable.Range(0, storm).Select(_ => new RawClient(proxy.Port, receiveTimeoutMs: 30_000)).ToList();
        var results = new WireMessage?[storm];
        using var go = new ManualResetEventSlim(false);
        var threads = Enumerable.Range(0, storm).Select(i => new Thread(() =>
        {
            go.Wait();
            results[i] = clients[i].Exchange("GET /hot HTTP/1.1\r\nHost: h\r\nCache-Control: no-cache\r\n\r\n");
        })).ToList();

        threads.ForEach(t => t.Start());
        go.Set();
        threads.ForEach(t => t.Join());
        clients.ForEach(c => c.Dispose());

        Assert.All(results, r => Assert.Equal("stored body", r!.BodyText));
        Assert.Equal(2, origin.RequestCount);
    }
}
