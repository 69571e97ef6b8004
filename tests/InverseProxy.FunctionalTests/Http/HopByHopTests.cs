using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class HopByHopTests
{
    private static readonly string[] RequestHopFields =
        ["Connection", "X-Secret", "X-Other-Secret", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Connection"];

    private static readonly string[] ResponseHopFields =
        ["Connection", "X-Origin-Secret", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Connection"];

    [Fact]
    public void Request_HopByHopFields_StrippedBeforeOriginWithViaAndForwardedForAppended()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /hop HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\nConnection: X-Other-Secret\r\n"
            + "X-Secret: 1\r\nX-Other-Secret: 2\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-T\r\nUpgrade: websocket\r\n"
            + "Proxy-Connection: keep-alive\r\nX-Forwarded-For: 10.0.0.1\r\nVia: 1.0 front\r\nX-Kept: yes\r\n\r\n");

        var seen = Assert.Single(origin.Requests);
        Assert.All(RequestHopFields, name => Assert.Equal(0, seen.Message.CountOf(name)));
        Assert.Equal("yes", seen.Header("X-Kept"));
        Assert.Equal("1.0 front, 1.1 inverseproxy", seen.Header("Via"));
        Assert.Equal("10.0.0.1, 127.0.0.1", seen.Header("X-Forwarded-For"));
        Assert.Equal(1, seen.Message.CountOf("X-Forwarded-For"));
    }

    [Fact]
    public void Response_HopByHopFields_StrippedBeforeClientWithViaAppended()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok",
            ("Cache-Control", "no-store"), ("Connection", "X-Origin-Secret"), ("X-Origin-Secret", "s"), ("Keep-Alive", "timeout=5"),
            ("TE", "trailers"), ("Trailer", "X-T"), ("Upgrade", "h2c"), ("Proxy-Connection", "keep-alive"), ("Via", "1.1 origin"), ("X-Kept", "yes")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /hop HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.All(ResponseHopFields, name => Assert.Equal(0, response.CountOf(name)));
        Assert.Equal("yes", response.Header("X-Kept"));
        Assert.Equal("1.1 origin, 1.1 inverseproxy", response.Header("Via"));
        Assert.Equal("ok", response.BodyText);
    }

    [Fact]
    public void Request_ConnectionNamesContentLengthOrHost_FramingAndHostStillForwarded()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text(r.Message.BodyText, ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /p HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Host\r\nContent-Length: 5\r\n\r\nhello"
            + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var post = client.ReadResponse();
        var next = client.ReadResponse();

        Assert.Equal("hello", post.BodyText);
        Assert.Equal("HTTP/1.1 200 OK", next.StartLine);
        var seen = origin.Requests.First();
        Assert.Equal("5", seen.Header("Content-Length"));
        Assert.Equal("h", seen.Header("Host"));
    }

    [Theory]
    [InlineData("http://example.test/x?y=1", "/x?y=1", "example.test")]
    [InlineData("http://example.test:8081", "/", "example.test:8081")]
    [InlineData("HTTP://Example.Test/a/b", "/a/b", "example.test")]
    public void AbsoluteForm_Target_ReachesOriginAsOriginFormWithItsNormalisedAuthorityAsHost(string target, string path, string host)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET {target} HTTP/1.1\r\nHost: other.test\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal($"GET {path} HTTP/1.1", seen.Message.StartLine);
        Assert.Equal(1, seen.Message.CountOf("Host"));
        Assert.Equal(host, seen.Header("Host"));
        Assert.Equal(host, seen.Header("X-Forwarded-Host"));
    }
}
