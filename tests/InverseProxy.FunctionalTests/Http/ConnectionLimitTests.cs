using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class ConnectionLimitTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";

    [Fact]
    public void MaxConnections_ThirdConcurrentConnection_503AndClosedWhileFirstTwoWork()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.MaxConnections = 2, origin.Port);
        using var first = new RawClient(proxy.Port);
        using var second = new RawClient(proxy.Port);
        Assert.Equal(200, first.Exchange(Get).Status());
        Assert.Equal(200, second.Exchange(Get).Status());

        using var third = new RawClient(proxy.Port);
        var refused = third.ReadResponse();

        Assert.Equal("HTTP/1.1 503 Service Unavailable", refused.StartLine);
        Assert.Equal("close", refused.Header("Connection"));
        // RFC 9110 §6.6.1: a server with a clock dates every response, refusals included.
        var date = DateTimeOffset.ParseExact(refused.Header("Date")!, "r", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(third.IsClosedByPeer());
        Assert.Equal(200, first.Exchange(Get).Status());
        Assert.Equal(200, second.Exchange(Get).Status());
        Assert.Equal(1, proxy.Server.Metrics.RejectedConnections);
        Assert.Equal(4, origin.RequestCount);
    }

    [Fact]
    public void MaxConnections_SlotFreed_NewConnectionServed()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.MaxConnections = 1, origin.Port);
        using (var first = new RawClient(proxy.Port))
        {
            Assert.Equal(200, first.Exchange(Get).Status());
        }
        Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(10)));

        using var next = new RawClient(proxy.Port);

        Assert.Equal(200, next.Exchange(Get).Status());
    }
}
