using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Tests.Networking;

namespace InverseProxy.Tests.Http;

public sealed class MessageReaderTests : IDisposable
{
    private readonly LoopbackPair _pair = LoopbackPair.Open();
    private readonly MessageReader _reader;

    public MessageReaderTests()
    {
        _reader = new MessageReader(_pair.Server, HttpLimits.Default.MaxHeadBytes);
    }

    [Fact]
    public void ReadRequestHead_WholeHead_ParsesIt()
    {
        LoopbackPair.SendAll(_pair.Client, "GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\n\r\n");

        var head = _reader.ReadRequestHead(HttpLimits.Default);

        Assert.NotNull(head);
        Assert.Equal("GET", head.Method);
        Assert.Equal("/a?b=1", head.Target);
        Assert.Equal("example.test", head.Headers.Get("Host"));
        Assert.Equal(0, _reader.BufferedCount);
    }

    [Fact]
    public void ReadRequestHead_PipelinedSecondRequest_KeptBufferedAndReadNext()
    {
        const string second = "GET /two HTTP/1.1\r\nHost: h\r\n\r\n";
        SendAndWait("GET /one HTTP/1.1\r\nHost: h\r\n\r\n" + second);

        var first = _reader.ReadRequestHead(HttpLimits.Default);

        Assert.Equal("/one", first!.Target);
        Assert.Equal(second, Encoding.Latin1.GetString(_reader.Buffered));
        Assert.Equal("/two", _reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void ReadRequestHead_BodyBytesInTheSameSend_StayBuffered()
    {
        SendAndWait("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");

        _reader.ReadRequestHead(HttpLimits.Default);

        Assert.Equal("hello", Encoding.Latin1.GetString(_reader.Buffered));
    }

    [Fact]
    public void ReadRequestHead_SentByteByByte_Parses()
    {
        const string text = "GET /slow HTTP/1.1\r\nHost: h\r\nX-Long: abcdefghijklmnopqrstuvwxyz\r\n\r\n";
        var sender = new Thread(() =>
        {
            foreach (byte b in Encoding.Latin1.GetBytes(text))
            {
                _pair.Client.Send(new[] { b });
            }
        });
        sender.Start();

        var head = _reader.ReadRequestHead(HttpLimits.Default);
        sender.Join();

        Assert.Equal("/slow", head!.Target);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz", head.Headers.Get("X-Long"));
        Assert.Equal(text.Length, _reader.BytesReceived);
    }

    [Fact]
    public void ReadRequestHead_CleanCloseBeforeAnyByte_ReturnsNull()
    {
        _pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Null(_reader.ReadRequestHead(HttpLimits.Default));
        Assert.True(_reader.IsEndOfStream);
    }

    [Fact]
    public void ReadRequestHead_CloseAfterAPipelinedRequest_ReturnsNullOnTheNextRead()
    {
        LoopbackPair.SendAll(_pair.Client, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        _pair.Client.Shutdown(SocketShutdown.Send);

        Assert.NotNull(_reader.ReadRequestHead(HttpLimits.Default));
        Assert.Null(_reader.ReadRequestHead(HttpLimits.Default));
    }

    [Fact]
    public void ReadRequestHead_CloseMidHead_ThrowsIOException()
    {
        LoopbackPair.SendAll(_pair.Client, "GET / HTTP/1.1\r\nHost: h\r\n");
        _pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Throws<IOException>(() => _reader.ReadRequestHead(HttpLimits.Default));
    }

    [Fact]
    public void ReadRequestHead_HeadLargerThanTheLimit_ThrowsHeadTooLarge()
    {
        var limits = new HttpLimits(1024, 2048, 100);
        var reader = new MessageReader(_pair.Server, limits.MaxHeadBytes, 512);
        var sender = new Thread(() =>
        {
            try
            {
                LoopbackPair.SendAll(_pair.Client, "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 8000) + "\r\n\r\n");
            }
            catch (SocketException)
            {
                // The reader stopped reading; the rest need not arrive.
            }
        });
        sender.Start();

        var error = Assert.Throws<HttpParseException>(() => reader.ReadRequestHead(limits));

        Assert.Equal(HttpParseError.HeadTooLarge, error.Error);
        _pair.Server.Close();
        sender.Join();
    }

    [Fact]
    public void ReadResponseHead_WholeHead_ParsesAndKeepsTheBody()
    {
        SendAndWait("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc");

        var head = _reader.ReadResponseHead(HttpLimits.Default);

        Assert.Equal(404, head.StatusCode);
        Assert.Equal("Not Found", head.Reason);
        Assert.Equal("abc", Encoding.Latin1.GetString(_reader.Buffered));
    }

    [Fact]
    public void ReadResponseHead_TargetClosesFirst_ThrowsEndOfStream()
    {
        _pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Throws<EndOfStreamException>(() => _reader.ReadResponseHead(HttpLimits.Default));
    }

    [Fact]
    public void Consume_AllBuffered_LeavesNothing()
    {
        LoopbackPair.SendAll(_pair.Client, "abcdef");
        while (_reader.BufferedCount < 6)
        {
            _reader.Fill();
        }

        _reader.Consume(4);
        Assert.Equal("ef", Encoding.Latin1.GetString(_reader.Buffered));
        _reader.Consume(2);

        Assert.Equal(0, _reader.BufferedCount);
    }

    public void Dispose() => _pair.Dispose();

    private void SendAndWait(string text)
    {
        LoopbackPair.SendAll(_pair.Client, text);
        LoopbackPair.WaitForBytes(_pair.Server, text.Length);
    }
}
