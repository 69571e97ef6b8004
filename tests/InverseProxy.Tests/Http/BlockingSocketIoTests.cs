using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Tests.Networking;

namespace InverseProxy.Tests.Http;

public sealed class BlockingSocketIoTests : IDisposable
{
    private readonly LoopbackPair _pair = LoopbackPair.Open();

    [Fact]
    public void Send_ThreeSpans_ArriveJoinedInOrder()
    {
        int sent = BlockingSocketIo.Send(_pair.Server, "head\r\n"u8, "body"u8, "\r\n"u8);

        Assert.Equal(12, sent);
        Assert.Equal("head\r\nbody\r\n", ReceiveExactly(_pair.Client, 12));
    }

    [Fact]
    public void Send_EmptySpansSkipped_OthersArrive()
    {
        BlockingSocketIo.Send(_pair.Server, default, "only"u8, default);

        Assert.Equal("only", ReceiveExactly(_pair.Client, 4));
    }

    [Fact]
    public void Receive_BytesWaiting_ReturnsThem()
    {
        LoopbackPair.SendAll(_pair.Client, "GET / HTTP/1.1\r\n");
        LoopbackPair.WaitForBytes(_pair.Server, 16);
        var buffer = new byte[64];

        int n = BlockingSocketIo.Receive(_pair.Server, buffer);

        Assert.Equal("GET / HTTP/1.1\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void Receive_PeerClosed_ReturnsZero()
    {
        _pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Equal(0, BlockingSocketIo.Receive(_pair.Server, new byte[16]));
    }

    [Fact]
    public void Receive_NothingWithinTheReceiveTimeout_ThrowsTimedOut()
    {
        _pair.Server.ReceiveTimeout = 100;

        var e = Assert.Throws<SocketException>(() => BlockingSocketIo.Receive(_pair.Server, new byte[16]));

        Assert.Equal(SocketError.TimedOut, e.SocketErrorCode);
    }

    [Fact]
    public void Receive_PeerReset_ThrowsSocketException()
    {
        _pair.Client.LingerState = new LingerOption(true, 0);
        _pair.Client.Close();
        Thread.Sleep(50);

        var e = Assert.Throws<SocketException>(() => BlockingSocketIo.Receive(_pair.Server, new byte[16]));

        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
    }

    [Fact]
    public void Send_DisposedSocket_ThrowsObjectDisposed()
    {
        _pair.Server.Dispose();

        Assert.Throws<ObjectDisposedException>(() => BlockingSocketIo.Send(_pair.Server, "x"u8, default, default));
    }

    public void Dispose() => _pair.Dispose();

    private static string ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        int total = 0;
        while (total < count)
        {
            int n = socket.Receive(buffer, total, count - total, SocketFlags.None);
            Assert.True(n > 0, "peer closed early");
            total += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }
}
