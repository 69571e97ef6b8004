using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class HttpHeadParserTests
{
    private static readonly HttpLimits s_limits = HttpLimits.Default;

    [Theory]
    [MemberData(nameof(HttpParseCases.ValidRequests), MemberType = typeof(HttpParseCases))]
    public void TryParseRequest_EveryStrictPrefix_ReturnsFalseWithoutThrowing(string raw)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(raw);
        for (int length = 0; length < bytes.Length; length++)
        {
            bool parsed = HttpHeadParser.TryParseRequest(bytes.AsSpan(0, length), s_limits, out var head, out int consumed);
            Assert.False(parsed, $"prefix of {length} bytes parsed");
            Assert.Null(head);
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(HttpParseCases.ValidRequests), MemberType = typeof(HttpParseCases))]
    public void TryParseRequest_FullHeadWithTrailingBytes_ConsumesExactlyTheHead(string raw)
    {
        byte[] head = Encoding.Latin1.GetBytes(raw);
        byte[] withBody = [.. head, .. "hello GET / HTTP/1.1\r\n"u8];

        Assert.True(HttpHeadParser.TryParseRequest(head, s_limits, out var alone, out int consumedAlone));
        Assert.True(HttpHeadParser.TryParseRequest(withBody, s_limits, out var followed, out int consumedFollowed));

        Assert.Equal(head.Length, consumedAlone);
        Assert.Equal(head.Length, consumedFollowed);
        Assert.NotNull(alone);
        Assert.Equal(alone.Target, followed!.Target);
    }

    [Theory]
    [MemberData(nameof(HttpParseCases.MalformedRequests), MemberType = typeof(HttpParseCases))]
    public void TryParseRequest_MalformedHead_ThrowsNamedErrorWithStatus(string raw, string error, int status)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(raw);

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, s_limits, out _, out _));

        Assert.Equal(error, ex.Error.ToString());
        Assert.Equal(status, ex.Error.ToStatusCode());
    }

    [Fact]
    public void TryParseRequest_ValidHead_ExposesMethodTargetVersionAndFields()
    {
        byte[] bytes = Encoding.Latin1.GetBytes("POST /p?q=1 HTTP/1.1\r\nHost: example.com\r\nX-A:  v1 \r\nx-a: v2\r\nX-Latin: caf\u00e9\r\n\r\n");

        Assert.True(HttpHeadParser.TryParseRequest(bytes, s_limits, out var head, out _));

        Assert.Equal("POST", head!.Method);
        Assert.Equal("/p?q=1", head.Target);
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(4, head.Headers.Count);
        Assert.Equal("example.com", head.Headers.Get("host"));
        Assert.Equal("v1, v2", head.Headers.GetCombined("X-A"));
        Assert.Equal("x-a", head.Headers[2].Name);
        Assert.Equal("caf\u00e9", head.Headers.Get("X-Latin"));
    }

    [Fact]
    public void TryParseRequest_CommonMethodAndHeaderName_ReuseInternedStrings()
    {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        Assert.True(HttpHeadParser.TryParseRequest(bytes, s_limits, out var first, out _));
        Assert.True(HttpHeadParser.TryParseRequest(bytes, s_limits, out var second, out _));

        Assert.Same(first!.Method, second!.Method);
        Assert.Same(first.Headers[1].Name, second.Headers[1].Name);
        Assert.Same(first.Headers[1].Value, second.Headers[1].Value);
    }

    [Fact]
    public void TryParseRequest_RequestLineOverLimitWithoutCrlf_ThrowsRequestLineTooLong()
    {
        var limits = s_limits with { MaxRequestLineBytes = 32 };
        byte[] bytes = Encoding.ASCII.GetBytes("GET /" + new string('a', 40));

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.RequestLineTooLong, ex.Error);
        Assert.Equal(414, ex.Error.ToStatusCode());
    }

    [Fact]
    public void TryParseRequest_CompleteRequestLineOverLimit_ThrowsRequestLineTooLong()
    {
        var limits = s_limits with { MaxRequestLineBytes = 32 };
        byte[] bytes = Encoding.ASCII.GetBytes("GET /" + new string('a', 40) + " HTTP/1.1\r\nHost: h\r\n\r\n");

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.RequestLineTooLong, ex.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryParseRequest_MethodAloneOverLineLimit_ThrowsMethodTooLong(bool complete)
    {
        var limits = s_limits with { MaxRequestLineBytes = 32 };
        string method = new('M', 40);
        byte[] bytes = Encoding.ASCII.GetBytes(complete ? method + " / HTTP/1.1\r\nHost: h\r\n\r\n" : method);

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.MethodTooLong, ex.Error);
        Assert.Equal(501, ex.Error.ToStatusCode());
    }

    [Fact]
    public void TryParseRequest_RequestLineExactlyAtLimit_Parses()
    {
        string line = "GET /" + new string('a', 18) + " HTTP/1.1";
        var limits = s_limits with { MaxRequestLineBytes = line.Length };
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\r\nHost: h\r\n\r\n");

        Assert.True(HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));
    }

    [Fact]
    public void TryParseRequest_IncompleteHeadAtLimit_ThrowsHeadTooLarge()
    {
        var limits = s_limits with { MaxHeadBytes = 64 };
        byte[] bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + new string('v', 64));

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes.AsSpan(0, 64), limits, out _, out _));

        Assert.Equal(HttpParseError.HeadTooLarge, ex.Error);
        Assert.Equal(431, ex.Error.ToStatusCode());
    }

    [Fact]
    public void TryParseRequest_CompleteHeadOverLimit_ThrowsHeadTooLarge()
    {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: vvvvvvvvvv\r\n\r\n"u8.ToArray();
        var limits = s_limits with { MaxHeadBytes = bytes.Length - 1 };

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.HeadTooLarge, ex.Error);
    }

    [Fact]
    public void TryParseRequest_CompleteHeadExactlyAtLimit_Parses()
    {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: vvvvvvvvvv\r\n\r\n"u8.ToArray();
        var limits = s_limits with { MaxHeadBytes = bytes.Length };

        Assert.True(HttpHeadParser.TryParseRequest(bytes, limits, out _, out int consumed));
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void TryParseRequest_MoreFieldsThanAllowed_ThrowsTooManyHeaders()
    {
        var limits = s_limits with { MaxHeaderCount = 3 };
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n"u8.ToArray();

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.TooManyHeaders, ex.Error);
        Assert.Equal(431, ex.Error.ToStatusCode());
    }

    [Fact]
    public void TryParseRequest_FieldsExactlyAtCount_Parses()
    {
        var limits = s_limits with { MaxHeaderCount = 3 };
        byte[] bytes = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"u8.ToArray();

        Assert.True(HttpHeadParser.TryParseRequest(bytes, limits, out var head, out _));
        Assert.Equal(3, head!.Headers.Count);
    }

    [Fact]
    public void TryParseRequest_ControlBytesInTarget_DetailIsEscaped()
    {
        byte[] bytes = "GET /a\x1b[31m HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray();

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseRequest(bytes, s_limits, out _, out _));

        Assert.Equal(@"/a\x1B[31m", ex.Detail);
    }

    [Fact]
    public void TryParseRequest_ReusedHead_RefilledInPlaceKeepingRepeatedStrings()
    {
        var first = Parse("GET /a HTTP/1.1\r\nHost: h\r\nX-Client: one\r\nX-Gone: 1\r\n\r\n", reuse: null);
        string target = first.Target;
        string client = first.Headers.Get("X-Client")!;

        var second = Parse("GET /a HTTP/1.0\r\nHost: h\r\nX-Client: two\r\n\r\n", reuse: first);

        Assert.Same(first, second);
        Assert.Same(target, second.Target);
        Assert.Equal(HttpVersion.Http10, second.Version);
        Assert.Equal([("Host", "h"), ("X-Client", "two")], second.Headers.Select(f => (f.Name, f.Value)));
        Assert.Equal("one", client); // strings handed out earlier are never changed
    }

    [Fact]
    public void TryParseRequest_ReusedHead_NewTargetAndMoreFields()
    {
        var first = Parse("GET /a HTTP/1.1\r\nHost: h\r\n\r\n", reuse: null);

        var second = Parse("POST /b HTTP/1.1\r\nHost: other\r\nContent-Length: 0\r\n\r\n", reuse: first);

        Assert.Equal("POST", second.Method);
        Assert.Equal("/b", second.Target);
        Assert.Equal([("Host", "other"), ("Content-Length", "0")], second.Headers.Select(f => (f.Name, f.Value)));
    }

    private static RequestHead Parse(string raw, RequestHead? reuse)
    {
        Assert.True(HttpHeadParser.TryParseRequest(Encoding.ASCII.GetBytes(raw), s_limits, reuse, out var head, out _));
        return head!;
    }
}
