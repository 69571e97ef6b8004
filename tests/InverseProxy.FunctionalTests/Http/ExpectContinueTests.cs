using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class ExpectContinueTests
{
    [Fact]
    public void ExpectContinue_HeadThenBody_100ThenFinalResponseAndOriginSeesNoExpect()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"got {r.Message.BodyText}"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var interim = client.Reader.ReadHead()!.Value;
        client.Send("hello");
        var response = client.ReadResponse();

        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", interim.raw);
        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal("got hello", response.BodyText);
        var seen = Assert.Single(origin.Requests);
        Assert.Null(seen.Header("Expect"));
        Assert.Equal("hello", seen.Message.BodyText);
    }

    [Fact]
    public void ExpectContinue_BodySentWithHead_NoInterimResponse()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"got {r.Message.BodyText}"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
        var response = client.ReadResponse();

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal("got hello", response.BodyText);
    }

    [Fact]
    public void Expect_UnknownExpectation_417AndNotForwarded()
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("POST /e HTTP/1.1\r\nHost: h\r\nExpect: teapot\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal("HTTP/1.1 417 Expectation Failed", response.StartLine);
        Assert.True(client.IsClosedByPeer());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void ExpectContinue_ContentLengthOverMaxBody_413WithoutContinue()
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(o => o.MaxRequestBodyBytes = 10, origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
        var response = client.ReadResponse();

        Assert.Equal("HTTP/1.1 413 Content Too Large", response.StartLine);
        Assert.True(client.IsClosedByPeer());
        Assert.Equal(0, origin.RequestCount);
    }
}
