using System.Net;
using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Routing;

namespace InverseProxy.FunctionalTests.Tunnels;

public sealed class ConnectTunnelTests
{
    [Fact]
    public void Curl_HttpsThroughConnect_BodyArrivesAndTunnelIsCounted()
    {
        using var tls = new TlsOrigin();
        using var proxy = ProxyInstance.Start(o => AllowLoopback(o, tls.Port));

        var (exit, output, errors) = Curl.Run("-sS", "-k", "-x", proxy.BaseUrl, $"https://127.0.0.1:{tls.Port}/secret");

        Assert.True(exit == 0, errors);
        Assert.Equal(TlsOrigin.Body, output);
        Assert.True(Poll.Until(() => proxy.Server.Tunnels.Opened == 1 && proxy.Server.Tunnels.Open == 0));
        Assert.True(proxy.Server.Tunnels.BytesUp > 0 && proxy.Server.Tunnels.BytesDown > 0);
    }

    [Fact]
    public void Connect_PortOutsideConnectPorts_403()
    {
        using var tls = new TlsOrigin();
        using var proxy = ProxyInstance.Start(o =>
        {
            AllowLoopback(o, tls.Port);
            o.ConnectPorts = [443];
        });
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"CONNECT 127.0.0.1:{tls.Port} HTTP/1.1\r\nHost: 127.0.0.1:{tls.Port}\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(1, proxy.Server.Tunnels.RefusedDestinations);
    }

    [Theory]
    [InlineData("127.0.0.1:443")]
    [InlineData("10.0.0.1:443")]
    [InlineData("169.254.169.254:443")]
    [InlineData("localhost:443")]
    [InlineData("[::1]:443")]
    public void Connect_DefaultForwardAllow_PrivateDestinationsRefused(string destination)
    {
        using var proxy = ProxyInstance.Start(o => o.Connect = true);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"CONNECT {destination} HTTP/1.1\r\nHost: {destination}\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(0, proxy.Server.Tunnels.Opened);
    }

    [Fact]
    public void Connect_DestinationRefusesConnection_502()
    {
        using var downed = DownedPort.Hold();
        using var proxy = ProxyInstance.Start(o => AllowLoopback(o, downed.Port()));
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"CONNECT 127.0.0.1:{downed.Port()} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.Equal(502, response.Status());
    }

    private static void AllowLoopback(InverseProxy.Configuration.ProxyOptions options, int port)
    {
        options.Connect = true;
        options.ConnectPorts = [port];
        options.ForwardAllow = TargetAllowList.Parse(["127.0.0.0/8"], []);
    }
}
