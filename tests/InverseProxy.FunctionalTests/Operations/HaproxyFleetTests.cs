using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

/// <summary>The shipped deploy/haproxy.cfg in front of three proxies: consistent URI hashing keeps one copy per URL.</summary>
public sealed class HaproxyFleetTests
{
    private const int Urls = 3000;
    private const int Clients = 4;

    [Fact]
    public void DistinctUrlsFetchedTwice_ThroughHaproxyToThreeProxies_OriginAskedOncePerUrl()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("body of " + r.Target, ("Cache-Control", "max-age=600")));
        var proxies = Enumerable.Range(0, 3).Select(_ => ProxyInstance.Start(o => o.AdminPort = UnusedPort.Find(), origin.Port)).ToList();
        try
        {
            using var front = HaproxyFront.Start(proxies);

            FetchAll(front.Port);
            int afterFirstPass = origin.RequestCount;
            FetchAll(front.Port);

            Assert.Equal(Urls, afterFirstPass);
            // Each URL went to the instance that already held it; a health-check flap could move a few.
            Assert.InRange(origin.RequestCount, Urls, Urls + Urls / 100);
            Assert.All(proxies, p => Assert.InRange(p.Server.Cache!.Counters().Entries, Urls / 6, Urls));
        }
        finally
        {
            proxies.ForEach(p => p.Dispose());
        }
    }

    /// <summary>Every URL once, spread over a few keep-alive connections; each answer checked.</summary>
    private static void FetchAll(int port)
    {
        Parallel.For(0, Clients, new ParallelOptions { MaxDegreeOfParallelism = Clients }, c =>
        {
            var client = new RawClient(port);
            try
            {
                for (int i = c; i < Urls; i += Clients)
                {
                    var response = client.Exchange($"GET /item/{i} HTTP/1.1\r\nHost: h\r\n\r\n");
                    Assert.Equal(200, response.Status());
                    Assert.Equal($"body of /item/{i}", response.BodyText);
                }
            }
            finally
            {
                client.Dispose();
            }
        });
    }
}
