using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class PipeliningTests
{
    [Fact]
    public void Pipelining_ThreeGetsInOneWrite_ThreeResponsesInOrderOnOneConnection()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"body of {r.Target}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
        var bodies = Enumerable.Range(0, 3).Select(_ => client.ReadResponse().BodyText).ToList();
        var fourth = client.Exchange("GET /4 HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(new[] { "body of /1", "body of /2", "body of /3" }, bodies);
        Assert.Equal("body of /4", fourth.BodyText);
        Assert.Equal(1, proxy.Server.Metrics.AcceptedConnections);
    }

    [Fact]
    public void Pipelining_GetAfterPostWithBody_OvershootReadAsNextRequest()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Method} {r.Target} {r.Message.BodyText}"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello worldGET /after HTTP/1.1\r\nHost: h\r\n\r\n");
        var post = client.ReadResponse();
        var get = client.ReadResponse();

        Assert.Equal("POST /p hello world", post.BodyText);
        Assert.Equal("GET /after ", get.BodyText);
        Assert.Equal(new[] { "/p", "/after" }, origin.Requests.Select(r => r.Target));
    }

    [Fact]
    public void Pipelining_GetAfterChunkedPost_OvershootReadAsNextRequest()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Target}:{r.Message.BodyText}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("/c:abc", client.ReadResponse().BodyText);
        Assert.Equal("/next:", client.ReadResponse().BodyText);
    }

    [Fact]
    public void Pipelining_GetAfterStreamedLargePost_OvershootReadAsNextRequest()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Target}:{r.Message.Body.Length}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        var body = new string('x', 200_000);

        client.Send($"POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: {body.Length}\r\n\r\n{body}GET /next HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("/big:200000", client.ReadResponse().BodyText);
        Assert.Equal("/next:0", client.ReadResponse().BodyText);
        Assert.Equal(Encoding.ASCII.GetBytes(body), origin.Requests.First().Message.Body);
    }
}
