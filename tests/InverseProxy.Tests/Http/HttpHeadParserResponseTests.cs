using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class HttpHeadParserResponseTests
{
    private static readonly HttpLimits s_limits = HttpLimits.Default;

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "HTTP/1.1", 200, "OK")]
    [InlineData("HTTP/1.0 404 Not Found\r\n\r\n", "HTTP/1.0", 404, "Not Found")]
    [InlineData("HTTP/1.1 204 \r\n\r\n", "HTTP/1.1", 204, "")]
    [InlineData("HTTP/1.1 204\r\n\r\n", "HTTP/1.1", 204, "")]
    [InlineData("HTTP/1.1 599 Custom Thing\r\nX: y\r\n\r\n", "HTTP/1.1", 599, "Custom Thing")]
    public void TryParseResponse_ValidStatusLine_ParsesVersionStatusReason(string raw, string version, int status, string reason)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(raw);

        Assert.True(HttpHeadParser.TryParseResponse(bytes, s_limits, out var head, out int consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(version, head!.Version.ToText());
        Assert.Equal(status, head.StatusCode);
        Assert.Equal(reason, head.Reason);
    }

    [Fact]
    public void TryParseResponse_EveryStrictPrefix_ReturnsFalse()
    {
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"u8.ToArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(HttpHeadParser.TryParseResponse(bytes.AsSpan(0, length), s_limits, out _, out _), $"prefix {length}");
        }
        Assert.True(HttpHeadParser.TryParseResponse([.. bytes, .. "hello"u8], s_limits, out _, out int consumed));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("ICY 200 OK\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n", nameof(HttpParseError.InvalidStatusLine))]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n", nameof(HttpParseError.UnsupportedVersion))]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", nameof(HttpParseError.InvalidHeaderName))]
    [InlineData("HTTP/1.1 200 OK\nX: y\r\n\r\n", nameof(HttpParseError.BareLineFeed))]
    public void TryParseResponse_Malformed_ThrowsNamedError(string raw, string error)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(raw);

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseResponse(bytes, s_limits, out _, out _));

        Assert.Equal(error, ex.Error.ToString());
    }

    [Fact]
    public void TryParseResponse_NoBlankLineAtHeadLimit_ThrowsHeadTooLarge()
    {
        var limits = s_limits with { MaxHeadBytes = 40 };
        byte[] bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX: " + new string('a', 40));

        var ex = Assert.Throws<HttpParseException>(() => HttpHeadParser.TryParseResponse(bytes, limits, out _, out _));

        Assert.Equal(HttpParseError.HeadTooLarge, ex.Error);
    }

    [Fact]
    public void TryParseResponse_ReusedHead_RefilledWithNothingLeftOfThePrevious()
    {
        Assert.True(HttpHeadParser.TryParseResponse(
            Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nSet-Cookie: session=alice\r\nContent-Length: 5\r\nX-Extra: 1\r\n\r\n"),
            s_limits, reuse: null, out var first, out _));
        first!.Headers.Add("Via", "1.1 inverseproxy"); // the relay adds fields to a head it passes on

        Assert.True(HttpHeadParser.TryParseResponse(
            Encoding.ASCII.GetBytes("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"), s_limits, first, out var second, out _));

        Assert.Same(first, second);
        Assert.Equal(HttpVersion.Http10, second!.Version);
        Assert.Equal(404, second.StatusCode);
        Assert.Equal("Not Found", second.Reason);
        Assert.Equal([new HttpHeader("Content-Length", "0")], second.Headers);
    }
}
