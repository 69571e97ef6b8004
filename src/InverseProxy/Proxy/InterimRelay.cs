using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// Passes a target's interim (1xx) responses to the client as they arrive, before the final one (RFC 9110 §15.2):
/// only to HTTP/1.1 clients, and a 100 Continue only when the proxy did not already send its own. Never stored.
/// One per client session; the forwarder calls it while it waits for the final head.
/// </summary>
internal sealed class InterimRelay
{
    private readonly ClientSession _client;

    public InterimRelay(ClientSession client)
    {
        _client = client;
    }

    public void Relay(ResponseHead interim)
    {
        // §15.2: a server must not send a 1xx to an HTTP/1.0 client.
        if (_client.Request.Client.Version != HttpVersion.Http11 || (interim.StatusCode == 100 && _client.ContinueSent))
        {
            return;
        }
        var headers = interim.Headers.Clone();
        HopByHopHeaders.Strip(headers);
        var writer = _client.Writer;
        HeadWriter.WriteResponseHead(HttpVersion.Http11, interim.StatusCode, interim.Reason, headers, writer.Head);
        try
        {
            writer.SendHead();
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The client left: the final response's write will find out and close; the target's exchange goes on.
            writer.Head.ResetWrittenCount();
        }
    }
}
