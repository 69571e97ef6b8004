using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// RFC 6455 §4.1: the opening handshake is a GET with Connection: upgrade and Upgrade: websocket. Only this upgrade
/// passes through; every other (h2c, TLS/1.0) is dropped as hop-by-hop (RFC 9110 §7.8). A request with a body is
/// not taken for one: the tunnel could only start after the body, which no WebSocket client sends.
/// </summary>
internal static class WebSocketUpgrade
{
    public const string Token = "websocket";

    public static bool IsRequested(RequestHead head)
    {
        var headers = head.Headers;
        return head.IsGet
            && HopByHopHeaders.ConnectionHasToken(headers, "upgrade")
            && headers.GetCombined("Upgrade") is { } upgrade
            && HttpListElements.Contains(upgrade, Token)
            && !headers.Contains("Content-Length")
            && !headers.Contains("Transfer-Encoding");
    }

    /// <summary>Puts the upgrade back on a head whose hop-by-hop fields were stripped.</summary>
    public static void AddFields(HttpHeaders headers)
    {
        headers.Add("Connection", "upgrade");
        headers.Add("Upgrade", Token);
    }
}
