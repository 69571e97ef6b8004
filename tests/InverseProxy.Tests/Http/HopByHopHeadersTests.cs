using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class HopByHopHeadersTests
{
    [Fact]
    public void Strip_FixedHopByHopFields_AreRemovedOthersKeptInOrder()
    {
        var headers = Headers(
            ("Host", "h"), ("Connection", "keep-alive"), ("Keep-Alive", "timeout=5"), ("te", "trailers"),
            ("Trailer", "X-Sum"), ("Transfer-Encoding", "chunked"), ("Upgrade", "websocket"),
            ("Proxy-Connection", "keep-alive"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
            ("Proxy-Authorization", "Basic eA=="), ("Proxy-Authenticate", "Basic"));

        HopByHopHeaders.Strip(headers);

        Assert.Equal(
            new[] { "Host", "Set-Cookie", "Set-Cookie", "Proxy-Authorization", "Proxy-Authenticate" },
            headers.Select(h => h.Name).ToArray());
    }

    [Fact]
    public void Strip_FieldsNamedByConnection_AreRemovedCaseInsensitively()
    {
        var headers = Headers(
            ("X-A", "1"), ("Connection", "x-b, X-A"), ("x-b", "2"), ("Connection", "X-C"), ("X-C", "3"), ("X-Keep", "4"));

        HopByHopHeaders.Strip(headers);

        Assert.Equal(new[] { "X-Keep" }, headers.Select(h => h.Name).ToArray());
    }

    [Fact]
    public void Strip_ConnectionNamingFramingOrHost_KeepsThem()
    {
        var headers = Headers(("Host", "h"), ("Content-Length", "5"), ("Connection", "Content-Length, Host"));

        HopByHopHeaders.Strip(headers);

        Assert.Equal(new[] { "Host", "Content-Length" }, headers.Select(h => h.Name).ToArray());
    }

    [Theory]
    [InlineData("close", "close", true)]
    [InlineData("Keep-Alive, Upgrade", "upgrade", true)]
    [InlineData(" , close ,", "close", true)]
    [InlineData("closed", "close", false)]
    [InlineData("keep-alive", "close", false)]
    public void ConnectionHasToken_ListValue_MatchesWholeTokensIgnoringCase(string value, string token, bool expected)
    {
        Assert.Equal(expected, HopByHopHeaders.ConnectionHasToken(Headers(("Connection", value)), token));
    }

    [Fact]
    public void ConnectionHasToken_TokenInSecondField_ReturnsTrue()
    {
        var headers = Headers(("Connection", "keep-alive"), ("connection", "close"));

        Assert.True(HopByHopHeaders.ConnectionHasToken(headers, "close"));
        Assert.False(HopByHopHeaders.ConnectionHasToken(Headers(("Host", "close")), "close"));
    }

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
