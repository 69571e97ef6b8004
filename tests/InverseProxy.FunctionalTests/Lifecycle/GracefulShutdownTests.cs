using System.Net.Sockets;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Lifecycle;

public sealed class GracefulShutdownTests
{
    [Fact]
    public void Stop_SlowRequestInFlight_FinishesThenRefusesNewConnections()
    {
        using var origin = new ScriptedOrigin(r => r.Target == "/slow"
            ? new OriginResponse { Delay = TimeSpan.FromSeconds(1), Body = "finished"u8.ToArray(), Headers = { new("Cache-Control", "no-store") } }
            : OriginResponse.Text("quick", ("Cache-Control", "no-store")));
        var proxy = ProxyInstance.Start(origin.Port);
        using var idle = new RawClient(proxy.Port);
        using var busy = new RawClient(proxy.Port);
        try
        {
            Assert.Equal(200, idle.Exchange("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            busy.Send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.True(Poll.Until(() => origin.Requests.Any(r => r.Target == "/slow")), "the slow request never reached the origin");

            proxy.Stop();

            var response = busy.ReadResponse();
            Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
            Assert.Equal("finished", response.BodyText);
            Assert.True(busy.IsClosedByPeer(), "the drained connection stayed open");
            Assert.True(idle.IsClosedByPeer(), "the idle keep-alive connection stayed open");
            Assert.True(UnusedPort.Refuses(proxy.Port), "the stopped proxy still accepts connections");
        }
        finally
        {
            proxy.Dispose();
        }
    }

    [Fact]
    public void Stop_IdleKeepAliveConnections_ClosedPromptly()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.ConnectionTimeout = TimeSpan.FromMinutes(5), origin.Port);
        var clients = Enumerable.Range(0, 3).Select(_ => new RawClient(proxy.Port)).ToList();
        clients.ForEach(c => Assert.Equal(200, c.Exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n").Status()));

        proxy.Stop();

        // The idle timeout is minutes away: only the shutdown can have closed them.
        Assert.All(clients, c => Assert.True(c.IsClosedByPeer()));
        Assert.Throws<SocketException>(() => new RawClient(proxy.Port).Dispose());
        clients.ForEach(c => c.Dispose());
    }
}
