using System.Net;
using InverseProxy.FunctionalTests.Http;
using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Proxy.Policy;

namespace InverseProxy.FunctionalTests.Proxy.Policy;

/// <summary>rate_limit on the wire: a burst past the limit gets 429 with Retry-After and the target sees at most the allowed count.</summary>
// Alone: the allocation counts rely on decoded strings the process shares (Http.RecentStrings), which a test running
// beside them could displace, making a connection allocate a string again.
[Collection(RobustnessCollection.Name)]
public sealed class RateLimitTests
{
    private static ScriptedOrigin Origin() => new(r => OriginResponse.Text("served " + r.Target, ("Cache-Control", "no-store")));

    [Fact]
    public void Burst_PastTheLimit_429WithRetryAfter_TargetSeesTheAllowedCount()
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(o => (o.RateLimit, o.RateLimitBurst) = (new RateLimit(5, 'm'), 3), origin.Port);
        using var client = new RawClient(proxy.Port);

        var responses = Enumerable.Range(0, 10).Select(i => client.Exchange($"GET /r{i} HTTP/1.1\r\nHost: a.example\r\n\r\n")).ToList();

        Assert.Equal([200, 200, 200, 429, 429, 429, 429, 429, 429, 429], responses.Select(r => r.Status()));
        Assert.Equal(3, origin.RequestCount);
        // 5/m: one request every 12 s; the bucket is empty, so the next one is at most 12 s away.
        Assert.InRange(int.Parse(responses[3].Header("Retry-After")!), 1, 12);
        Assert.Equal(7, proxy.Server.Config.Sites.All.Single().Counters.RateLimited);
    }

    [Fact]
    public void ForwardedFor_FromTrustedProxy_CountsTheNamedClient_FromOthersIgnored()
    {
        using var origin = Origin();
        using var trusting = ProxyInstance.Start(o =>
        {
            o.RateLimit = new RateLimit(1, 'm');
            o.TrustedProxies = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.9.0.0/16")];
        }, origin.Port);
        using var client = new RawClient(trusting.Port);

        // Each request names another client, right-most untrusted address; the 10.9.x hop is skipped as trusted.
        var named = Enumerable.Range(1, 3)
            .Select(i => client.Exchange($"GET /a HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 6.6.6.6, 192.0.2.{i}, 10.9.0.1\r\n\r\n").Status()).ToList();
        var again = client.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 7.7.7.7, 192.0.2.1\r\n\r\n").Status();

        Assert.Equal([200, 200, 200], named);
        Assert.Equal(429, again);
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void ForwardedFor_FromUntrustedPeer_PeerAddressCounts()
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(o => o.RateLimit = new RateLimit(1, 'm'), origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n").Status();
        var second = client.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\nX-Forwarded-For: 192.0.2.2\r\n\r\n").Status();

        Assert.Equal([200, 429], new[] { first, second });
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void CacheHits_RateLimitOnNoClientOver_AllocateNothingOnTheirThreads()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("cached", ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(o => (o.SpareThreads, o.RateLimit) = (4, new RateLimit(1_000_000, 's')), origin.Port);
        const string Request = "GET /hit HTTP/1.1\r\nHost: example.test\r\nUser-Agent: probe/1.0\r\n\r\n";
        for (int i = 0; i < 60; i++)
        {
            ServeOnNewConnection(proxy, Request);
        }
        long before = proxy.Server.Metrics.ConnectionThreadAllocatedBytes;

        for (int i = 0; i < 40; i++)
        {
            ServeOnNewConnection(proxy, Request);
        }

        Assert.Equal(1, origin.RequestCount);
        Assert.Equal(1, proxy.Server.Config.Sites.All.Single().Limiter!.Clients);
        Assert.Equal(before, proxy.Server.Metrics.ConnectionThreadAllocatedBytes);
    }

    private static void ServeOnNewConnection(ProxyInstance proxy, string request)
    {
        using (var client = new RawClient(proxy.Port))
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(200, client.Exchange(request).Status());
            }
        }
        // The thread adds its count when its connection ends.
        Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(5)));
    }
}
