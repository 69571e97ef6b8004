using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Tests.Networking;

namespace InverseProxy.Tests.Http;

public sealed class MessageReaderTests : IDisposable
{
    private readonly LoopbackReader _wire = new();

    [Fact]
    public void ReadRequestHead_WholeHead_ParsesIt()
    {
        _wire.Send("GET /a?b=1 HTTP/1.1\r\nHost: example.test\r\nAccept: */*\r\n\r\n");

        var head = _wire.Reader.ReadRequestHead(HttpLimits.Default);

        Assert.NotNull(head);
        Assert.Equal("GET", head.Method);
        Assert.Equal("/a?b=1", head.Target);
        Assert.Equal("example.test", head.Headers.Get("Host"));
        Assert.Equal(0, _wire.Reader.BufferedCount);
    }

    [Fact]
    public void ReadRequestHead_PipelinedSecondRequest_KeptBufferedAndReadNext()
    {
        const string second = "GET /two HTTP/1.1\r\nHost: h\r\n\r\n";
        _wire.SendAndWait("GET /one HTTP/1.1\r\nHost: h\r\n\r\n" + second);

        var first = _wire.Reader.ReadRequestHead(HttpLimits.Default);

        Assert.Equal("/one", first!.Target);
        Assert.Equal(second, Encoding.Latin1.GetString(_wire.Reader.Buffered));
        Assert.Equal("/two", _wire.Reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void ReadRequestHead_BodyBytesInTheSameSend_StayBuffered()
    {
        _wire.SendAndWait("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");

        _wire.Reader.ReadRequestHead(HttpLimits.Default);

        Assert.Equal("hello", Encoding.Latin1.GetString(_wire.Reader.Buffered));
    }

    [Fact]
    public void ReadRequestHead_SentByteByByte_Parses()
    {
        const string text = "GET /slow HTTP/1.1\r\nHost: h\r\nX-Long: abcdefghijklmnopqrstuvwxyz\r\n\r\n";
        var sender = _wire.SendByteByByte(text);

        var head = _wire.Reader.ReadRequestHead(HttpLimits.Default);
        sender.Join();

        Assert.Equal("/slow", head!.Target);
        Assert.Equal("abcdefghijklmnopqrstuvwxyz", head.Headers.Get("X-Long"));
        Assert.Equal(text.Length, _wire.Reader.BytesReceived);
    }

    [Fact]
    public void ReadRequestHead_CleanCloseBeforeAnyByte_ReturnsNull()
    {
        _wire.Client.Shutdown(SocketShutdown.Send);

        Assert.Null(_wire.Reader.ReadRequestHead(HttpLimits.Default));
        Assert.True(_wire.Reader.IsEndOfStream);
    }

    [Fact]
    public void ReadRequestHead_CloseAfterAPipelinedRequest_ReturnsNullOnTheNextRead()
    {
        _wire.Send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        _wire.Client.Shutdown(SocketShutdown.Send);

        Assert.NotNull(_wire.Reader.ReadRequestHead(HttpLimits.Default));
        Assert.Null(_wire.Reader.ReadRequestHead(HttpLimits.Default));
    }

    [Fact]
    public void ReadRequestHead_CloseMidHead_ThrowsIOException()
    {
        _wire.Send("GET / HTTP/1.1\r\nHost: h\r\n");
        _wire.Client.Shutdown(SocketShutdown.Send);

        Assert.Throws<IOException>(() => _wire.Reader.ReadRequestHead(HttpLimits.Default));
    }

    [Fact]
    public void ReadRequestHead_HeadLargerThanTheLimit_ThrowsHeadTooLarge()
    {
        var limits = new HttpLimits(1024, 2048, 100);
        var reader = new MessageReader(_wire.Server, limits.MaxHeadBytes, 512);
        var sender = new Thread(() =>
        {
            try
            {
                _wire.Send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 8000) + "\r\n\r\n");
            }
            catch (SocketException)
            {
                // The reader stopped reading; the rest need not arrive.
            }
        });
        sender.Start();

        var error = Assert.Throws<HttpParseException>(() => reader.ReadRequestHead(limits));

        Assert.Equal(HttpParseError.HeadTooLarge, error.Error);
        _wire.Server.Close();
        sender.Join();
    }

    [Fact]
    public void Rebind_BytesLeftFromTheLastSocket_NoneVisibleOnTheNext()
    {
        // A connection thread keeps one reader for all its connections: the next client must never see a byte of
        // the previous one's, pipelined or not.
        var buffer = new byte[MessageReader.DefaultBufferSize];
        var reader = MessageReader.Unbound(buffer, new RequestHead("GET", "/", InverseProxy.Http.HttpVersion.Http11, new HttpHeaders()));
        reader.Rebind(_wire.Server, HttpLimits.Default.MaxHeadBytes);
        _wire.SendAndWait("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /secret HTTP/1.1\r\nAuthorization: x\r\n\r\n");
        Assert.Equal("/first", reader.ReadRequestHead(HttpLimits.Default)!.Target);
        using var next = new LoopbackReader();

        reader.Rebind(next.Server, HttpLimits.Default.MaxHeadBytes);
        next.SendAndWait("GET /second HTTP/1.1\r\nHost: b\r\n\r\n");
        var head = reader.ReadRequestHead(HttpLimits.Default)!;

        Assert.Equal("/second", head.Target);
        Assert.Equal("b", head.Headers.Get("Host"));
        Assert.Null(head.Headers.Get("Authorization"));
        Assert.Equal(0, reader.BufferedCount);
        Assert.Equal(33, reader.BytesReceived);
        Assert.False(reader.IsEndOfStream);
    }

    [Fact]
    public void Rebind_AfterEndOfStream_ReadsTheNextSocket()
    {
        var reader = MessageReader.Unbound(new byte[1024], new RequestHead("GET", "/", InverseProxy.Http.HttpVersion.Http11, new HttpHeaders()));
        reader.Rebind(_wire.Server, HttpLimits.Default.MaxHeadBytes);
        _wire.Client.Shutdown(SocketShutdown.Send);
        Assert.Null(reader.ReadRequestHead(HttpLimits.Default));
        using var next = new LoopbackReader();

        reader.Rebind(next.Server, HttpLimits.Default.MaxHeadBytes);
        next.SendAndWait("GET /again HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("/again", reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void ReadResponseHead_WholeHead_ParsesAndKeepsTheBody()
    {
        _wire.SendAndWait("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc");

        var head = _wire.Reader.ReadResponseHead(HttpLimits.Default);

        Assert.Equal(404, head.StatusCode);
        Assert.Equal("Not Found", head.Reason);
        Assert.Equal("abc", Encoding.Latin1.GetString(_wire.Reader.Buffered));
    }

    [Fact]
    public void ReadResponseHead_TargetClosesFirst_ThrowsEndOfStream()
    {
        _wire.Client.Shutdown(SocketShutdown.Send);

        Assert.Throws<EndOfStreamException>(() => _wire.Reader.ReadResponseHead(HttpLimits.Default));
    }

    [Fact]
    public void Consume_AllBuffered_LeavesNothing()
    {
        _wire.Send("abcdef");
        while (_wire.Reader.BufferedCount < 6)
        {
            _wire.Reader.Fill();
        }

        _wire.Reader.Consume(4);
        Assert.Equal("ef", Encoding.Latin1.GetString(_wire.Reader.Buffered));
        _wire.Reader.Consume(2);

        Assert.Equal(0, _wire.Reader.BufferedCount);
    }

    public void Dispose() => _wire.Dispose();
}
