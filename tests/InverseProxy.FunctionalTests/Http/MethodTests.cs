using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class MethodTests
{
    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("POST")]
    [InlineData("FOO")]
    [InlineData("MKCOL")]
    [InlineData("PROPFIND")]
    public void Method_AnyToken_ForwardedWithCustomFieldsAndBody(string method)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Method} done", ("X-Origin", "o")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"{method} /res?x=1 HTTP/1.1\r\nHost: h\r\nX-Custom: one\r\nX-List: two, three\r\nContent-Length: 7\r\n\r\npayload");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal($"{method} done", response.BodyText);
        Assert.Equal("o", response.Header("X-Origin"));
        var seen = Assert.Single(origin.Requests);
        Assert.Equal($"{method} /res?x=1 HTTP/1.1", seen.Message.StartLine);
        Assert.Contains("\r\nX-Custom: one\r\n", seen.Message.RawHead);
        Assert.Contains("\r\nX-List: two, three\r\n", seen.Message.RawHead);
        Assert.Equal("payload", seen.Message.BodyText);
    }

    [Fact]
    public void Options_AsteriskForm_ForwardedAsIs()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("", ("Allow", "GET, HEAD")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("GET, HEAD", response.Header("Allow"));
        Assert.Equal("OPTIONS * HTTP/1.1", Assert.Single(origin.Requests).Message.StartLine);
    }
}
