using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Routing;

namespace InverseProxy.FunctionalTests.Tunnels;

public sealed class ForwardProxyTests
{
    [Fact]
    public void Curl_ForwardProxiedGet_GoesToTheNamedHostWithViaAndIsCached()
    {
        using var named = new ScriptedOrigin(r => OriginResponse.Text("from the named host", ("Cache-Control", "max-age=60")));
        using var fallback = new ScriptedOrigin(r => OriginResponse.Text("from the default site"));
        using var proxy = ProxyInstance.Start(AllowLoopback, fallback.Port);
        string url = $"http://127.0.0.1:{named.Port}/page";

        var first = Curl.Run("-sS", "-x", proxy.BaseUrl, url);
        var second = Curl.Run("-sS", "-x", proxy.BaseUrl, url);

        Assert.True(first.ExitCode == 0, first.Errors);
        Assert.Equal("from the named host", first.Output);
        Assert.Equal("from the named host", second.Output);
        Assert.Equal(1, named.RequestCount);
        Assert.Equal(0, fallback.RequestCount);
        Assert.True(named.Requests.TryPeek(out var seen));
        Assert.Equal("/page", seen!.Target);
        Assert.Equal($"127.0.0.1:{named.Port}", seen.Header("Host"));
        Assert.Contains("inverseproxy", seen.Header("Via"), StringComparison.Ordinal);
        Assert.Null(seen.Header("Proxy-Connection"));
    }

    [Fact]
    public void ForwardProxy_Http10ClientWithProxyConnectionKeepAlive_ConnectionKept()
    {
        using var named = new ScriptedOrigin(r => OriginResponse.Text("kept", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(AllowLoopback);
        using var client = new RawClient(proxy.Port);
        string request = $"GET http://127.0.0.1:{named.Port}/k HTTP/1.0\r\nHost: 127.0.0.1:{named.Port}\r\nProxy-Connection: keep-alive\r\n\r\n";

        var first = client.Exchange(request);
        var second = client.Exchange(request);

        Assert.Equal(200, first.Status());
        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal(200, second.Status());
        Assert.Equal(2, named.RequestCount);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("localhost")]
    public void ForwardProxy_DefaultForwardAllow_PrivateDestinationsRefused(string host)
    {
        using var fallback = new ScriptedOrigin(r => OriginResponse.Text("from the default site"));
        using var proxy = ProxyInstance.Start(o => o.ForwardProxy = true, fallback.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET http://{host}:{fallback.Port}/latest/meta-data HTTP/1.1\r\nHost: {host}:{fallback.Port}\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(0, fallback.RequestCount);
        Assert.Equal(1, proxy.Server.Tunnels.RefusedDestinations);
    }

    private static void AllowLoopback(InverseProxy.Configuration.ProxyOptions options)
    {
        options.ForwardProxy = true;
        options.ForwardAllow = TargetAllowList.Parse(["127.0.0.0/8"], []);
    }
}
