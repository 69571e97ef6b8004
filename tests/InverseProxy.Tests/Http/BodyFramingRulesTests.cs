using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class BodyFramingRulesTests
{
    [Fact]
    public void ForRequest_NoFramingHeaders_ReturnsNone()
    {
        Assert.Equal(BodyFraming.None, BodyFramingRules.ForRequest(Request()));
    }

    [Theory]
    [InlineData(new[] { "5" }, 5L)]
    [InlineData(new[] { "5", "5" }, 5L)]
    [InlineData(new[] { "5, 5" }, 5L)]
    [InlineData(new[] { "9223372036854775807" }, long.MaxValue)]
    [InlineData(new[] { "0" }, 0L)]
    public void ForRequest_ValidContentLength_ReturnsFixed(string[] values, long expected)
    {
        var head = Request(values.Select(v => ("Content-Length", v)).ToArray());

        Assert.Equal(BodyFraming.Fixed(expected), BodyFramingRules.ForRequest(head));
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData(" chunked ")]
    [InlineData(",chunked")]
    public void ForRequest_ChunkedFinal_ReturnsChunked(string value)
    {
        var head = Request(("Transfer-Encoding", value));

        Assert.Equal(BodyFraming.Chunked, BodyFramingRules.ForRequest(head));
    }

    [Theory]
    [InlineData("Content-Length:5|Transfer-Encoding:chunked", nameof(HttpParseError.ContentLengthWithTransferEncoding), 400)]
    [InlineData("Transfer-Encoding:chunked|Content-Length:0", nameof(HttpParseError.ContentLengthWithTransferEncoding), 400)]
    [InlineData("Content-Length:5|Content-Length:6", nameof(HttpParseError.MultipleContentLengths), 400)]
    [InlineData("Content-Length:1,2", nameof(HttpParseError.MultipleContentLengths), 400)]
    [InlineData("Content-Length:+5", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:-1", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:5 5", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:0x10", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:9223372036854775808", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Content-Length:99999999999999999999", nameof(HttpParseError.InvalidContentLength), 400)]
    [InlineData("Transfer-Encoding:gzip, chunked", nameof(HttpParseError.UnknownTransferCoding), 501)]
    [InlineData("Transfer-Encoding:gzip|Transfer-Encoding:chunked", nameof(HttpParseError.UnknownTransferCoding), 501)]
    [InlineData("Transfer-Encoding:chunked, gzip", nameof(HttpParseError.ChunkedNotFinal), 400)]
    [InlineData("Transfer-Encoding:gzip", nameof(HttpParseError.ChunkedNotFinal), 400)]
    [InlineData("Transfer-Encoding:", nameof(HttpParseError.ChunkedNotFinal), 400)]
    [InlineData("Transfer-Encoding:chunked, chunked", nameof(HttpParseError.ChunkedAppliedTwice), 400)]
    [InlineData("Transfer-Encoding:chunked|Transfer-Encoding:chunked", nameof(HttpParseError.ChunkedAppliedTwice), 400)]
    public void ForRequest_SmugglingShapes_Throw(string fields, string error, int status)
    {
        var head = Request(fields.Split('|').Select(f => (f[..f.IndexOf(':')], f[(f.IndexOf(':') + 1)..])).ToArray());

        var ex = Assert.Throws<HttpParseException>(() => BodyFramingRules.ForRequest(head));

        Assert.Equal(error, ex.Error.ToString());
        Assert.Equal(status, ex.Error.ToStatusCode());
    }

    [Fact]
    public void ForRequest_TransferEncodingOnHttp10_ThrowsChunkedNotFinal()
    {
        var head = new RequestHead("POST", "/", HttpVersion.Http10, Headers(("Transfer-Encoding", "chunked")));

        var ex = Assert.Throws<HttpParseException>(() => BodyFramingRules.ForRequest(head));

        Assert.Equal(HttpParseError.ChunkedNotFinal, ex.Error);
    }

    [Theory]
    [InlineData("HEAD", 200)]
    [InlineData("GET", 100)]
    [InlineData("GET", 101)]
    [InlineData("GET", 204)]
    [InlineData("GET", 304)]
    [InlineData("CONNECT", 200)]
    public void ForResponse_NoContentCases_ReturnNoneDespiteFramingHeaders(string method, int status)
    {
        var head = Response(status, ("Content-Length", "10"), ("X", "y"));

        Assert.Equal(BodyFraming.None, BodyFramingRules.ForResponse(method, head));
    }

    [Fact]
    public void ForResponse_ConnectRefused_UsesFraming()
    {
        var head = Response(407, ("Content-Length", "3"));

        Assert.Equal(BodyFraming.Fixed(3), BodyFramingRules.ForResponse("CONNECT", head));
    }

    [Fact]
    public void ForResponse_ContentLength_ReturnsFixed()
    {
        Assert.Equal(new BodyFraming(BodyKind.ContentLength, 42), BodyFramingRules.ForResponse("GET", Response(200, ("Content-Length", "42"))));
    }

    [Fact]
    public void ForResponse_ZeroContentLength_ReturnsNone()
    {
        Assert.Equal(BodyFraming.None, BodyFramingRules.ForResponse("GET", Response(200, ("Content-Length", "0"))));
    }

    [Fact]
    public void ForResponse_ChunkedWithContentLength_ChunkedWins()
    {
        var head = Response(200, ("Content-Length", "42"), ("Transfer-Encoding", "chunked"));

        Assert.Equal(BodyFraming.Chunked, BodyFramingRules.ForResponse("GET", head));
    }

    [Fact]
    public void ForResponse_FinalCodingNotChunked_ReturnsCloseDelimited()
    {
        var head = Response(200, ("Transfer-Encoding", "gzip"));

        Assert.Equal(BodyFraming.CloseDelimited, BodyFramingRules.ForResponse("GET", head));
    }

    [Fact]
    public void ForResponse_NoFramingHeaders_ReturnsCloseDelimited()
    {
        Assert.Equal(BodyFraming.CloseDelimited, BodyFramingRules.ForResponse("GET", Response(200)));
    }

    [Fact]
    public void ForResponse_DifferingContentLengths_ThrowsMultipleContentLengths()
    {
        var head = Response(200, ("Content-Length", "1"), ("Content-Length", "2"));

        var ex = Assert.Throws<HttpParseException>(() => BodyFramingRules.ForResponse("GET", head));

        Assert.Equal(HttpParseError.MultipleContentLengths, ex.Error);
    }

    [Fact]
    public void ForResponse_ChunkedTwice_ThrowsChunkedAppliedTwice()
    {
        var head = Response(200, ("Transfer-Encoding", "chunked, chunked"));

        var ex = Assert.Throws<HttpParseException>(() => BodyFramingRules.ForResponse("GET", head));

        Assert.Equal(HttpParseError.ChunkedAppliedTwice, ex.Error);
    }

    private static RequestHead Request(params (string Name, string Value)[] fields) =>
        new("POST", "/", HttpVersion.Http11, Headers([("Host", "h"), .. fields]));

    private static ResponseHead Response(int status, params (string Name, string Value)[] fields) =>
        new(HttpVersion.Http11, status, "", Headers(fields));

    private static HttpHeaders Headers(params (string Name, string Value)[] fields)
    {
        var headers = new HttpHeaders();
        foreach (var (name, value) in fields)
        {
            headers.Add(name, value);
        }
        return headers;
    }
}
