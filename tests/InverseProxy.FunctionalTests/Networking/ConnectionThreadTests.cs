using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Networking;

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
    public void Start_SpareThreads_ThreadsExistBeforeTheFirstConnection()
    {
        using var origin = new ScriptedOrigin();

        using var proxy = ProxyInstance.Start(o => o.SpareThreads = 200, origin.Port);

        Assert.Equal(0, proxy.Server.Metrics.AcceptedConnections);
        Assert.True(proxy.Server.ConnectionThreads >= 200, $"{proxy.Server.ConnectionThreads} threads");
    }
}
