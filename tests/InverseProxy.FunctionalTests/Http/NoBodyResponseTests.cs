using System.Text;
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

    [Fact]
    public void Head_ForCachedGet_ServedFromCacheWithoutBodyAndNextResponseIntact()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("cached body", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        client.Exchange("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");

        client.Send("HEAD /c HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = client.ReadResponse(headRequest: true);
        var get = client.ReadResponse();

        Assert.Equal("11", head.Header("Content-Length"));
        Assert.Equal("HTTP/1.1 200 OK", get.StartLine);
        Assert.Equal("cached body", get.BodyText);
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void InterimResponseFromOrigin_BeforeFinal_RelayedAndNextResponseIntact()
    {
        var raw = Encoding.ASCII.GetBytes("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 5\r\n\r\nfinal");
        using var origin = new ScriptedOrigin(r => r.Target == "/hints" ? new OriginResponse { Raw = raw } : OriginResponse.Text("after", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /hints HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        var hints = client.ReadResponse();
        var final = client.ReadResponse();
        var next = client.ReadResponse();

        Assert.Equal(("HTTP/1.1 103 Early Hints", "</s.css>"), (hints.StartLine, hints.Header("Link")));
        Assert.Equal("HTTP/1.1 200 OK", final.StartLine);
        Assert.Equal("final", final.BodyText);
        Assert.Equal("after", next.BodyText);
    }

    [Fact]
    public void Post_ZeroContentLength_PipelinedGetServed()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Method} {r.Target}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\nGET /g HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("POST /p", client.ReadResponse().BodyText);
        Assert.Equal("GET /g", client.ReadResponse().BodyText);
    }
}
