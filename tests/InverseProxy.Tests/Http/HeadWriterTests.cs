using System.Buffers;
using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class HeadWriterTests
{
    [Fact]
    public void WriteRequestHead_Http10Request_WritesHttp11WireBytes()
    {
        var headers = new HttpHeaders();
        headers.Add("Host", "example.com");
        headers.Add("X-Latin", "caf\u00e9");
        var output = new ArrayBufferWriter<byte>();

        HeadWriter.WriteRequestHead(new RequestHead("GET", "/a?b", HttpVersion.Http10, headers), output);

        Assert.Equal("GET /a?b HTTP/1.1\r\nHost: example.com\r\nX-Latin: caf\u00e9\r\n\r\n", Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteRequestHead_ThenParse_RoundTripsEqual()
    {
        var headers = new HttpHeaders();
        headers.Add("Host", "h:8080");
        headers.Add("set-cookie", "a=1");
        headers.Add("Set-Cookie", "b=2");
        headers.Add("X-Obs", "\u00ff\u0080 tail");
        var original = new RequestHead("PATCH", "/items/7?x=%41", HttpVersion.Http11, headers);
        var output = new ArrayBufferWriter<byte>();

        HeadWriter.WriteRequestHead(original, output);
        Assert.True(HttpHeadParser.TryParseRequest(output.WrittenSpan, HttpLimits.Default, out var parsed, out int consumed));

        Assert.Equal(output.WrittenCount, consumed);
        Assert.Equal(original.Method, parsed!.Method);
        Assert.Equal(original.Target, parsed.Target);
        Assert.Equal(original.Version, parsed.Version);
        Assert.Equal(original.Headers.ToArray(), parsed.Headers.ToArray());
    }

    [Theory]
    [InlineData("HTTP/1.1", 200, "OK", true, "HTTP/1.1 200 OK\r\nA: b\r\n\r\n")]
    [InlineData("HTTP/1.0", 404, "Not Found", true, "HTTP/1.0 404 Not Found\r\nA: b\r\n\r\n")]
    [InlineData("HTTP/1.1", 204, "", true, "HTTP/1.1 204 \r\nA: b\r\n\r\n")]
    [InlineData("HTTP/1.1", 200, "OK", false, "HTTP/1.1 200 OK\r\nA: b\r\n")]
    public void WriteResponseHead_Values_WritesExactWireText(string version, int status, string reason, bool terminate, string expected)
    {
        var headers = new HttpHeaders();
        headers.Add("A", "b");
        var output = new ArrayBufferWriter<byte>();

        HeadWriter.WriteResponseHead(version == "HTTP/1.0" ? HttpVersion.Http10 : HttpVersion.Http11, status, reason, headers, output, terminate);

        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteResponseHead_ThenParse_RoundTripsEqual()
    {
        var headers = new HttpHeaders();
        headers.Add("Content-Length", "5");
        headers.Add("Cache-Control", "max-age=60");
        var output = new ArrayBufferWriter<byte>();

        HeadWriter.WriteResponseHead(HttpVersion.Http11, 203, "Non-Authoritative Information", headers, output);
        Assert.True(HttpHeadParser.TryParseResponse(output.WrittenSpan, HttpLimits.Default, out var parsed, out _));

        Assert.Equal(203, parsed!.StatusCode);
        Assert.Equal("Non-Authoritative Information", parsed.Reason);
        Assert.Equal(headers.ToArray(), parsed.Headers.ToArray());
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nInjected: yes")]
    [InlineData("X-Bad\n", "a")]
    [InlineData("X-Nul", "a\0b")]
    public void WriteResponseHead_LineBreakInField_ThrowsInsteadOfInjecting(string name, string value)
    {
        var headers = new HttpHeaders();
        headers.Add(name, value);
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => HeadWriter.WriteResponseHead(HttpVersion.Http11, 200, "OK", headers, output));
        Assert.Equal(0, output.WrittenCount);
    }
}
