using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class NoBodyResponseTests
{
    [Fact]
    public void Head_PipelinedBeforeGet_NoBodyKeepsOriginContentLengthAndNextResponseIntact()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("twelve bytes", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /h HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = client.ReadResponse(headRequest: true);
        var get = client.ReadResponse();

        Assert.Equal("HTTP/1.1 200 OK", head.StartLine);
        Assert.Equal("12", head.Header("Content-Length"));
        Assert.Null(head.Header("Transfer-Encoding"));
        Assert.Equal("HTTP/1.1 200 OK", get.StartLine);
        Assert.Equal("twelve bytes", get.BodyText);
        Assert.Equal("HEAD", origin.Requests.First().Method);
    }

    [Theory]
    [InlineData(204, "No Content", false)]
    [InlineData(304, "Not Modified", false)]
    [InlineData(304, "Not Modified", true)]
    public void NoBodyStatus_PipelinedBeforeGet_NextResponseIntact(int status, string reason, bool withContentLength)
    {
        using var origin = new ScriptedOrigin(r => r.Target == "/empty"
            ? new OriginResponse
            {
                Status = status,
                Reason = reason,
                Headers = withContentLength ? [new("Content-Length", "100"), new("Cache-Control", "no-store")] : [new("Cache-Control", "no-store")],
            }
            : OriginResponse.Text("after", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /empty HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var empty = client.ReadResponse();
        var next = client.ReadResponse();

        Assert.Equal($"HTTP/1.1 {status} {reason}", empty.StartLine);
        Assert.Null(empty.Header("Transfer-Encoding"));
        Assert.Equal("HTTP/1.1 200 OK", next.StartLine);
        Assert.Equal("after", next.BodyText);
        Assert.False(client.Reader.HasBuffered);
    }
}
