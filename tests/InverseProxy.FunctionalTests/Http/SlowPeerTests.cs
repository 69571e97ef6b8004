using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>Clients too slow to take a response or to send a body do not hold a thread and a target connection for ever.</summary>
public sealed class SlowPeerTests
{
    // Larger than what loopback send buffers absorb (tcp_wmem grows to 4MB), so the proxy must wait on the client.
    private const int LargeBody = 16 * 1024 * 1024;

    [Fact]
    public void SlowReader_PastSendTimeout_IsClosedBeforeTheBodyEndsAndCounted()
    {
        using var origin = new StreamingOrigin();
        using var proxy = ProxyInstance.Start(o =>
        {
            o.SendTimeout = TimeSpan.FromSeconds(1);
            o.ConnectionTimeout = TimeSpan.FromSeconds(30); // each write alone would wait this long
            o.CacheSize = 0;
        }, origin.Port);
        // A small receive window, so the proxy's writes block on the client rather than fill kernel buffers.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, ReceiveTimeout = 10_000 };
        client.Connect(new IPEndPoint(IPAddress.Loopback, proxy.Port));
        client.Send(Encoding.ASCII.GetBytes($"GET /bytes/{LargeBody} HTTP/1.1\r\nHost: test\r\n\r\n"));

        // One byte every 200 ms: each write of the proxy makes progress well within connection_timeout.
        long received = 0;
        var one = new byte[1];
        for (int i = 0; i < 15 && proxy.Server.Metrics.SendTimeouts == 0; i++)
        {
            using var pause = new ManualResetEventSlim(false);
            pause.Wait(200);
            received += client.Receive(one);
        }
        Assert.True(Poll.Until(() => proxy.Server.Metrics.SendTimeouts == 1), "send_timeout did not end the response");

        received += ReadUntilClosed(client, out bool closed);
        Assert.True(closed, "the connection stayed open after send_timeout");
        Assert.True(received < LargeBody, $"the whole body arrived ({received} bytes): the response was not cut");
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(line => line.Contains("send_timeout", StringComparison.Ordinal))), "no log line");
    }

    [Fact]
    public void TrickledBody_UnderMinBodyRate_Gets408AndNoTargetSeesIt()
    {
        using var origin = new StreamingOrigin();
        using var proxy = ProxyInstance.Start(o =>
        {
            o.MinBodyRate = 1000;
            o.MinBodyRateGrace = TimeSpan.FromSeconds(1);
            o.ConnectionTimeout = TimeSpan.FromSeconds(30);
        }, origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 5_000);

        var answer = Trickle(client, bodyLength: 1000);

        Assert.Equal("HTTP/1.1 408 Request Timeout", answer.StartLine);
        Assert.True(client.IsClosedByPeer());
        Assert.Empty(origin.Requests);
        Assert.Equal(1, proxy.Server.Metrics.SlowRequestBodies);
    }

    [Fact]
    public void TrickledStreamedBody_UnderMinBodyRate_Gets408AndTheTargetGetsATornRequest()
    {
        using var origin = new StreamingOrigin();
        using var proxy = ProxyInstance.Start(o =>
        {
            o.MinBodyRate = 1000;
            o.MinBodyRateGrace = TimeSpan.FromSeconds(1);
            o.ConnectionTimeout = TimeSpan.FromSeconds(30);
            o.RequestBufferSize = 0; // streamed: the target has the head before the body is late
        }, origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 5_000);

        var answer = Trickle(client, bodyLength: 100_000);

        Assert.Equal("HTTP/1.1 408 Request Timeout", answer.StartLine);
        Assert.True(client.IsClosedByPeer());
        Assert.True(Poll.Until(() => !origin.Requests.IsEmpty), "the target never saw the request start");
        Assert.All(origin.Requests, r => Assert.True(r.BodyBytes < 100_000, $"the target got a whole body ({r.BodyBytes} bytes)"));
        Assert.Equal(1, proxy.Server.Metrics.SlowRequestBodies);
    }

    /// <summary>
    /// Sends a POST head, then its pattern body 10 bytes every 100 ms (100 bytes/s) until the proxy answers, for at
    /// most 10 s (100 pieces), then reads the answer.
    /// </summary>
    private static WireMessage Trickle(RawClient client, int bodyLength)
    {
        client.Send($"POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: {bodyLength}\r\n\r\n");
        var body = Enumerable.Range(0, bodyLength).Select(i => (byte)(i % 251)).ToArray();
        for (int at = 0; at < Math.Min(bodyLength, 1000) && client.Socket.Available == 0; at += 10)
        {
            using var pause = new ManualResetEventSlim(false);
            pause.Wait(100);
            try
            {
                client.Send(body.AsSpan(at, Math.Min(10, bodyLength - at)).ToArray());
            }
            catch (SocketException)
            {
                break; // closed after answering
            }
        }
        return client.ReadResponse();
    }

    private static long ReadUntilClosed(Socket socket, out bool closed)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                total += n;
            }
            closed = true;
        }
        catch (SocketException e)
        {
            closed = e.SocketErrorCode == SocketError.ConnectionReset;
        }
        return total;
    }
}
