using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Proxy;

public sealed class ForwardingTests
{
    [Fact]
    public void Get_ThroughProxy_ReachesOriginWithForwardedFields()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("origin says hi", ("Cache-Control", "no-store"), ("X-Custom", "kept")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nX-Request-Custom: 42\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal("origin says hi", response.BodyText);
        Assert.Equal("kept", response.Header("X-Custom"));
        Assert.Contains("1.1 inverseproxy", response.Header("Via"));
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("GET /a?b=1 HTTP/1.1", seen.Message.StartLine);
        Assert.Equal("example.test", seen.Header("Host"));
        Assert.Equal("42", seen.Header("X-Request-Custom"));
        Assert.Equal("127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal("http", seen.Header("X-Forwarded-Proto"));
        Assert.Equal("example.test", seen.Header("X-Forwarded-Host"));
    }

    [Fact]
    public void KeepAlive_ManyRequests_OriginSeesFewerConnectionsThanRequests()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        for (int i = 0; i < 20; i++)
        {
            var response = client.Exchange($"GET /n{i} HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.Equal(200, response.Status());
        }

        Assert.Equal(20, origin.RequestCount);
        Assert.Equal(1, origin.ConnectionCount);
    }

    [Fact]
    public void RoundRobin_TwoTargets_SpreadsEvenly()
    {
        using var a = new ScriptedOrigin(r => OriginResponse.Text("a", ("Cache-Control", "no-store")));
        using var b = new ScriptedOrigin(r => OriginResponse.Text("b", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(a.Port, b.Port);
        using var client = new RawClient(proxy.Port);

        for (int i = 0; i < 10; i++)
        {
            client.Exchange("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        }

        Assert.Equal(5, a.RequestCount);
        Assert.Equal(5, b.RequestCount);
    }
}
