using System.Net.Sockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

public sealed class ConnectionCloseTests
{
    [Fact]
    public void Post_AfterResponseSayingConnectionClose_GoesOnANewConnection()
    {
        // The first connection answers "Connection: close" and closes a moment later, as a server finishing its
        // writes does (RFC 9112 §9.6): a request sent on it in between is lost. The proxy must not pool it.
        using var origin = new LoopbackListener("origin", (socket, id) => Serve(socket, id));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
        var post = client.Exchange("POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody");

        Assert.Equal("closing", first.BodyText);
        Assert.Null(first.Header("Connection"));
        Assert.Equal("HTTP/1.1 200 OK", post.StartLine);
        Assert.Equal("got POST /second body", post.BodyText);
        Assert.Equal(2, origin.ConnectionCount);
    }

    private static void Serve(Socket socket, int connectionId)
    {
        var reader = new WireReader(socket);
        while (reader.ReadHead() is { } head)
        {
            var (body, _) = reader.ReadBody(head.headers, noBody: false, untilCloseIfUnframed: false);
            if (connectionId == 1)
            {
                socket.Send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 7\r\nCache-Control: no-store\r\n\r\nclosing"u8);
                Thread.Sleep(500);
                return;
            }
            string text = $"got {head.startLine.Split(' ')[0]} {head.startLine.Split(' ')[1]} {Encoding.ASCII.GetString(body)}";
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {text.Length}\r\nCache-Control: no-store\r\n\r\n{text}"));
        }
    }
}
