using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using InverseProxy.Tls;

namespace InverseProxy.Tests.Tls;

public sealed class ClientHelloTests
{
    [Theory]
    [InlineData("shop.example.test")]
    [InlineData("a.b.blog.test")]
    public void TryReadServerName_RealClientHello_ReadsTheName(string name)
    {
        byte[] hello = CaptureClientHello(name);

        Assert.Equal(ClientHelloRead.Done, ClientHello.TryReadServerName(hello, out string? serverName));
        Assert.Equal(name, serverName);
    }

    [Fact]
    public void TryReadServerName_EveryPrefix_NeedsMore()
    {
        byte[] hello = CaptureClientHello("shop.example.test");

        for (int length = 0; length < hello.Length; length++)
        {
            Assert.Equal(ClientHelloRead.NeedMore, ClientHello.TryReadServerName(hello.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TryReadServerName_HttpRequest_NotAClientHello()
    {
        Assert.Equal(ClientHelloRead.NotAClientHello, ClientHello.TryReadServerName("GET / HTTP/1.1\r\n\r\n"u8, out string? name));
        Assert.Null(name);
    }

    [Fact]
    public void TryReadServerName_LengthsPointingPastTheRecord_NotAClientHello()
    {
        byte[] hello = CaptureClientHello("shop.example.test");
        hello[5 + 4 + 2 + 32] = 0xff; // session id length beyond the record

        Assert.Equal(ClientHelloRead.NotAClientHello, ClientHello.TryReadServerName(hello, out _));
    }

    /// <summary>The first record an SslStream client sends for <paramref name="serverName"/>, caught on a loopback socket.</summary>
    private static byte[] CaptureClientHello(string serverName)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName });
        var bytes = new List<byte>();
        var buffer = new byte[ClientHello.MaxBytes];
        while (bytes.Count < 5 || bytes.Count < 5 + (bytes[3] << 8 | bytes[4]))
        {
            int n = server.Receive(buffer);
            Assert.True(n > 0, "the client closed before its hello");
            bytes.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        server.Shutdown(SocketShutdown.Both);
        Assert.ThrowsAny<Exception>(() => handshake.GetAwaiter().GetResult());
        return bytes.Take(5 + (bytes[3] << 8 | bytes[4])).ToArray();
    }
}
