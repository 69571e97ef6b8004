using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Tests.Networking;
using Microsoft.Extensions.Time.Testing;

namespace InverseProxy.Tests.Http;

public sealed class BodyReaderTests : IDisposable
{
    private readonly LoopbackReader _wire = new();

    [Fact]
    public void TryRead_ContentLengthBody_ReadsExactlyThatManyBytes()
    {
        _wire.Send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello worldGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = _wire.Reader.ReadRequestHead(HttpLimits.Default)!;
        var body = new BodyReader(_wire.Reader, BodyFramingRules.ForRequest(head));

        Assert.Equal("hello world", ReadAll(body));
        Assert.Equal(11, body.BytesRead);
        Assert.Equal("/next", _wire.Reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void For_RequestWithoutBody_SharedReaderThatLeavesTheNextRequestAlone()
    {
        _wire.Send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = _wire.Reader.ReadRequestHead(HttpLimits.Default)!;

        var body = BodyReader.For(_wire.Reader, BodyFramingRules.ForRequest(head), maxBytes: 0);

        Assert.Same(BodyReader.None, body);
        Assert.True(body.IsComplete);
        Assert.False(body.TryRead(out _));
        Assert.Equal(0, body.BytesRead);
        Assert.Equal("/next", _wire.Reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void For_RequestWithBody_ReaderOfItsOwn()
    {
        var body = BodyReader.For(_wire.Reader, BodyFraming.Fixed(3), maxBytes: 0);

        Assert.NotSame(BodyReader.None, body);
        Assert.False(body.IsComplete);
    }

    [Fact]
    public void TryRead_ContentLengthBodyInPieces_CompleteRightAfterTheLastByte()
    {
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(6));

        _wire.SendAndWait("abc");
        Assert.True(body.TryRead(out var first));
        Assert.Equal("abc", Encoding.Latin1.GetString(first.Span));
        Assert.False(body.IsComplete);
        _wire.SendAndWait("def");
        Assert.True(body.TryRead(out var second));

        Assert.Equal("def", Encoding.Latin1.GetString(second.Span));
        Assert.True(body.IsComplete);
        Assert.False(body.TryRead(out _));
    }

    [Fact]
    public void TryRead_ChunkedBody_DecodesDataAndTrailers()
    {
        _wire.Send(
            "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 42\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = _wire.Reader.ReadRequestHead(HttpLimits.Default)!;
        var body = new BodyReader(_wire.Reader, BodyFramingRules.ForRequest(head));

        Assert.Equal("hello world", ReadAll(body));
        Assert.True(body.IsComplete);
        Assert.Equal("42", body.Trailers!.Get("X-Sum"));
        Assert.Equal("/next", _wire.Reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void TryRead_ChunkedBodySentByteByByte_Decodes()
    {
        const string wire = "3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n";
        var sender = _wire.SendByteByByte(wire);
        var body = new BodyReader(_wire.Reader, BodyFraming.Chunked);

        string text = ReadAll(body);
        sender.Join();

        Assert.Equal("abc0123456789abcdef", text);
    }

    [Fact]
    public void TryRead_CloseDelimitedBody_ReadsUntilThePeerCloses()
    {
        _wire.Send("HTTP/1.0 200 OK\r\n\r\nall of this until close");
        _wire.Client.Shutdown(SocketShutdown.Send);
        var head = _wire.Reader.ReadResponseHead(HttpLimits.Default);
        var body = new BodyReader(_wire.Reader, BodyFramingRules.ForResponse("GET", head));

        Assert.Equal(BodyKind.CloseDelimited, body.Framing.Kind);
        Assert.Equal("all of this until close", ReadAll(body));
        Assert.True(body.IsComplete);
    }

    [Fact]
    public void TryRead_ContentLengthBodyCutShort_ThrowsUnexpectedEndOfBody()
    {
        _wire.Send("only 16 of them.");
        _wire.Client.Shutdown(SocketShutdown.Send);
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(100));

        var error = Assert.Throws<HttpParseException>(() => ReadAll(body));

        Assert.Equal(HttpParseError.UnexpectedEndOfBody, error.Error);
        Assert.Equal(16, body.BytesRead);
    }

    [Fact]
    public void TryRead_ChunkedBodyCutShort_ThrowsUnexpectedEndOfBody()
    {
        _wire.Send("5\r\nhello\r\n5\r\nwor");
        _wire.Client.Shutdown(SocketShutdown.Send);
        var body = new BodyReader(_wire.Reader, BodyFraming.Chunked);

        var error = Assert.Throws<HttpParseException>(() => ReadAll(body));

        Assert.Equal(HttpParseError.UnexpectedEndOfBody, error.Error);
    }

    [Fact]
    public void TryRead_BodyOverMaxBytes_ThrowsBodyTooLarge()
    {
        _wire.Send("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n");
        var body = new BodyReader(_wire.Reader, BodyFraming.Chunked, maxBytes: 8);

        var error = Assert.Throws<HttpParseException>(() => ReadAll(body));

        Assert.Equal(HttpParseError.BodyTooLarge, error.Error);
    }

    [Fact]
    public void TryRead_BodyExactlyMaxBytes_IsAccepted()
    {
        _wire.Send("0123456789");
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(10), maxBytes: 10);

        Assert.Equal("0123456789", ReadAll(body));
    }

    [Fact]
    public void TryRead_NoBody_CompleteAtOnce()
    {
        var body = new BodyReader(_wire.Reader, BodyFraming.None);

        Assert.True(body.IsComplete);
        Assert.False(body.TryRead(out _));
    }

    [Fact]
    public void Drain_ContentLengthBody_LeavesTheNextRequestReadable()
    {
        _wire.Send(new string('x', 20_000) + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(20_000));

        body.Drain();

        Assert.True(body.IsComplete);
        Assert.Equal("/after", _wire.Reader.ReadRequestHead(HttpLimits.Default)!.Target);
    }

    [Fact]
    public void TryRead_BodyBehindMinRateAfterGrace_ThrowsBodyTooSlowInsteadOfWaiting()
    {
        var time = new FakeTimeProvider();
        _wire.Send("hello");
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(1000), minRate: new MinDataRate(100, TimeSpan.FromSeconds(1), time));
        Assert.True(body.TryRead(out var first));
        Assert.Equal(5, first.Length);

        time.Advance(TimeSpan.FromSeconds(2)); // 5 bytes in 2 s, where 200 were due

        var e = Assert.Throws<HttpParseException>(() => body.TryRead(out _));
        Assert.Equal(HttpParseError.BodyTooSlow, e.Error);
        Assert.Equal(408, e.Error.ToStatusCode());
    }

    [Fact]
    public void TryRead_BodyBehindMinRateWithinGrace_GoesOnReading()
    {
        var time = new FakeTimeProvider();
        _wire.Send("hello");
        var body = new BodyReader(_wire.Reader, BodyFraming.Fixed(10), minRate: new MinDataRate(100, TimeSpan.FromSeconds(5), time));
        Assert.True(body.TryRead(out _));

        time.Advance(TimeSpan.FromSeconds(4));
        _wire.Send("world");

        Assert.True(body.TryRead(out var rest));
        Assert.Equal("world", Encoding.Latin1.GetString(rest.Span));
        Assert.True(body.IsComplete);
    }

    public void Dispose() => _wire.Dispose();

    private static string ReadAll(BodyReader body)
    {
        var text = new StringBuilder();
        while (body.TryRead(out var data))
        {
            text.Append(Encoding.Latin1.GetString(data.Span));
        }
        return text.ToString();
    }
}
