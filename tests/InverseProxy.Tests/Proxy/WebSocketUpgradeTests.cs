using InverseProxy.Http;
using InverseProxy.Proxy;
using HttpVersion = InverseProxy.Http.HttpVersion;

namespace InverseProxy.Tests.Proxy;

public sealed class WebSocketUpgradeTests
{
    [Theory]
    [InlineData("GET", "Upgrade", "websocket", null, true)]
    [InlineData("GET", "keep-alive, upgrade", "WebSocket", null, true)]
    [InlineData("GET", "upgrade", "h2c", null, false)]
    [InlineData("GET", "keep-alive", "websocket", null, false)]
    [InlineData("POST", "upgrade", "websocket", null, false)]
    [InlineData("GET", "upgrade", "websocket", "5", false)]
    public void IsRequested_Fields_OnlyAWebSocketHandshakeWithoutBody(string method, string connection, string upgrade, string? contentLength, bool expected)
    {
        var headers = new HttpHeaders();
        headers.Add("Host", "h");
        headers.Add("Connection", connection);
        headers.Add("Upgrade", upgrade);
        if (contentLength is not null)
        {
            headers.Add("Content-Length", contentLength);
        }
        var head = new RequestHead(method, "/", HttpVersion.Http11, headers);

        Assert.Equal(expected, WebSocketUpgrade.IsRequested(head));
    }
}
