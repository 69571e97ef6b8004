using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class Http10ClientTests
{
    [Fact]
    public void Http10_NoConnectionField_ResponseSaysCloseAndConnectionCloses()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("for an old client", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /old HTTP/1.0\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal("for an old client", response.BodyText);
        Assert.True(client.IsClosedByPeer());
        Assert.Equal("GET /old HTTP/1.1", Assert.Single(origin.Requests).Message.StartLine);
    }

    [Fact]
    public void Http10_ConnectionKeepAlive_HonouredAndSecondRequestServed()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"old {r.Target}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /one HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
        var second = client.Exchange("GET /two HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
        var last = client.Exchange("GET /three HTTP/1.0\r\nHost: h\r\n\r\n");

        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal("8", first.Header("Content-Length"));
        Assert.Equal("old /one", first.BodyText);
        Assert.Equal("old /two", second.BodyText);
        Assert.Equal("close", last.Header("Connection"));
        Assert.True(client.IsClosedByPeer());
        Assert.Equal(1, proxy.Server.Metrics.AcceptedConnections);
    }

    [Fact]
    public void Http10_ConnectionKeepAliveOnCachedResponse_HonouredFromCache()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("cacheable", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /c HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
        var hit = client.Exchange("GET /c HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");

        Assert.Equal("keep-alive", hit.Header("Connection"));
        Assert.Equal("cacheable", hit.BodyText);
        Assert.Equal(1, origin.RequestCount);
    }
}
