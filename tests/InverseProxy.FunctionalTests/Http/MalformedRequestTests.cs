using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class MalformedRequestTests
{
    [Theory]
    [MemberData(nameof(MalformedRequestCases.All), MemberType = typeof(MalformedRequestCases))]
    public void Request_Malformed_RefusedWithStatusAndClosedWithoutReachingOrigin(string name, string raw, int status)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(MalformedRequestCases.ApplyLimits, origin.Port);
        using (var client = new RawClient(proxy.Port))
        {
            client.Send(raw);
            var response = client.ReadResponse();

            Assert.StartsWith($"HTTP/1.1 {status} ", response.StartLine);
            Assert.Equal("close", response.Header("Connection"));
            Assert.True(client.IsClosedByPeer(), $"{name}: connection left open after {status}");
        }
        AssertOnlySentinelReachesOrigin(proxy, origin);
    }

    [Fact]
    public void Head_NotFinishedWithinConnectionTimeout_408AndClosed()
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(o => o.ConnectionTimeout = TimeSpan.FromMilliseconds(500), origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /slow HTTP/1.1\r\nHost: h\r\nX-Half: ");
        var response = client.ReadResponse();

        Assert.Equal("HTTP/1.1 408 Request Timeout", response.StartLine);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(client.IsClosedByPeer());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void Connection_IdleWithoutAnyByte_ClosedWithoutResponse()
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(o => o.ConnectionTimeout = TimeSpan.FromMilliseconds(500), origin.Port);
        using var client = new RawClient(proxy.Port);

        Assert.Equal(-1, client.Reader.ReadByte());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void Request_MalformedAfterValidOnSameConnection_FirstAnsweredSecondRefused()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /good HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\r\nHost: h\r\nHost: h2\r\n\r\n");
        var good = client.ReadResponse();
        var bad = client.ReadResponse();

        Assert.Equal("HTTP/1.1 200 OK", good.StartLine);
        Assert.Equal("HTTP/1.1 400 Bad Request", bad.StartLine);
        Assert.True(client.IsClosedByPeer());
        Assert.Equal(new[] { "/good" }, origin.Requests.Select(r => r.Target));
    }

    /// <summary>
    /// The refusal has been read, so anything the proxy forwarded whole was answered by the origin, and recorded,
    /// before it: once a later request comes back, the origin's record must hold that request alone.
    /// </summary>
    private static void AssertOnlySentinelReachesOrigin(ProxyInstance proxy, ScriptedOrigin origin)
    {
        using var client = new RawClient(proxy.Port);
        var response = client.Exchange("GET /sentinel HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal(new[] { "/sentinel" }, origin.Requests.Select(r => r.Target));
    }
}
