using System.Buffers;
using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Tests.Networking;
using Microsoft.Extensions.Time.Testing;

namespace InverseProxy.Tests.Http;

public sealed class SocketWriterTests : IDisposable
{
    private readonly LoopbackPair _pair = LoopbackPair.Open();
    private readonly SocketWriter _writer;

    public SocketWriterTests()
    {
        _writer = new SocketWriter(_pair.Server);
    }

    [Fact]
    public void SendHead_WithBody_HeadAndBodyArriveInOrder()
    {
        _writer.Head.Write(Bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n").Span);

        _writer.SendHead(Bytes("hi"));

        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", Received());
        Assert.Equal(40, _writer.BytesSent);
        Assert.Equal(0, _writer.Head.WrittenCount);
    }

    [Fact]
    public void SendHead_BodySliceOfALargerArray_SendsOnlyTheSlice()
    {
        var backing = Encoding.Latin1.GetBytes("xxPAYLOADyy");
        _writer.Head.Write(Bytes("h:").Span);

        _writer.SendHead(backing.AsMemory(2, 7));

        Assert.Equal("h:PAYLOAD", Received());
    }

    [Fact]
    public void SendHead_LargeBody_ArrivesWhole()
    {
        var body = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(body);
        byte[] received = [];
        var reader = new Thread(() => received = ReceiveAllAfterClose());
        reader.Start();

        _writer.Head.Write(Bytes("head\r\n").Span);
        _writer.SendHead(body);
        _pair.Server.Shutdown(SocketShutdown.Send);
        reader.Join();

        byte[] expected = [.. Bytes("head\r\n").Span, .. body];
        Assert.Equal(expected.Length, received.Length);
        Assert.True(expected.AsSpan().SequenceEqual(received));
    }

    [Fact]
    public void SendChunk_ThenLastChunkWithTrailers_ExactChunkedBytes()
    {
        var trailers = new HttpHeaders();
        trailers.Add("X-Checksum", "abc123");
        trailers.Add("X-Count", "2");

        _writer.SendChunk(Bytes("hello"));
        _writer.SendChunk(new byte[26]);
        _writer.SendChunk(ReadOnlyMemory<byte>.Empty);
        _writer.SendLastChunk(trailers);

        string expected = "5\r\nhello\r\n1A\r\n" + new string('\0', 26) + "\r\n0\r\nX-Checksum: abc123\r\nX-Count: 2\r\n\r\n";
        Assert.Equal(expected, Received());
    }

    [Fact]
    public void SendLastChunk_NoTrailers_EndsWithBlankLine()
    {
        _writer.SendLastChunk(null);

        Assert.Equal("0\r\n\r\n", Received());
    }

    [Fact]
    public void SendHead_WithBody_SendsHeadThenBodyAndClearsTheHead()
    {
        _writer.Head.Write("HTTP/1.1 204 No Content\r\n\r\n"u8);

        _writer.SendHead(Bytes("x"));

        Assert.Equal(0, _writer.Head.WrittenCount);
        Assert.Equal("HTTP/1.1 204 No Content\r\n\r\nx", Received());
    }

    [Fact]
    public void Send_AfterTheResponseDeadline_ThrowsTimedOutAndMarksIt()
    {
        var time = new FakeTimeProvider();
        _writer.StartResponse(time, TimeSpan.FromSeconds(1), writeTimeoutMs: 10_000);
        _writer.Send("a"u8); // the deadline starts with the first write

        time.Advance(TimeSpan.FromSeconds(2));

        var e = Assert.Throws<SocketException>(() => _writer.Send("b"u8));
        Assert.Equal(SocketError.TimedOut, e.SocketErrorCode);
        Assert.True(_writer.DeadlinePassed);
        Assert.Equal("a", Received());
    }

    [Fact]
    public void Send_DeadlineShorterThanTheWriteTimeout_ShortensItForThisResponseOnly()
    {
        var time = new FakeTimeProvider();
        _pair.Server.SendTimeout = 10_000;
        _writer.StartResponse(time, TimeSpan.FromSeconds(1), writeTimeoutMs: 10_000);

        _writer.Send("a"u8);
        int during = _pair.Server.SendTimeout;
        _writer.EndResponse();

        Assert.InRange(during, 1, 1000);
        Assert.Equal(10_000, _pair.Server.SendTimeout);
    }

    [Fact]
    public void Send_AfterEndResponse_IsNotBounded()
    {
        var time = new FakeTimeProvider();
        _writer.StartResponse(time, TimeSpan.FromSeconds(1), writeTimeoutMs: 10_000);
        _writer.Send("a"u8);
        _writer.EndResponse();

        time.Advance(TimeSpan.FromSeconds(5));
        _writer.Send("b"u8);

        Assert.False(_writer.DeadlinePassed);
        Assert.Equal("ab", Received());
    }

    public void Dispose() => _pair.Dispose();

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private string Received()
    {
        _pair.Server.Shutdown(SocketShutdown.Send);
        return Encoding.Latin1.GetString(ReceiveAllAfterClose());
    }

    private byte[] ReceiveAllAfterClose() => LoopbackPair.ReceiveToEnd(_pair.Client);
}
