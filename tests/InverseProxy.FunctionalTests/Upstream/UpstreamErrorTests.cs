using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

public sealed class UpstreamErrorTests
{
    [Fact]
    public void Get_TargetSlowerThanReadTimeout_504()
    {
        using var slow = new ScriptedOrigin(r => new OriginResponse { Delay = TimeSpan.FromSeconds(3), Body = "late"u8.ToArray() });
        using var proxy = ProxyInstance.Start(o => o.UpstreamReadTimeout = TimeSpan.FromMilliseconds(500), slow.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 504 Gateway Timeout", response.StartLine);
        Assert.Contains("did not answer in time", response.BodyText);
    }

    [Fact]
    public void Get_TargetSilentBetweenHeadAndSmallBody_504()
    {
        // A small body is read whole before anything reaches the client, so a target that stalls after its head
        // gets the client a 504 rather than a 200 head followed by a cut.
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = "late body"u8.ToArray(),
            Headers = { new("Cache-Control", "no-store") },
            BodyAfter = TimeSpan.FromSeconds(3),
        });
        using var proxy = ProxyInstance.Start(o => o.UpstreamReadTimeout = TimeSpan.FromMilliseconds(500), origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /quiet HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 504 Gateway Timeout", response.StartLine);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public void Get_TargetSendsGarbage_502()
    {
        var garbage = Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\nthis is not http\r\n\r\n");
        using var origin = new ScriptedOrigin(r => new OriginResponse { Raw = garbage, CloseAfter = true });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /g HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 502 Bad Gateway", response.StartLine);
        Assert.Contains("invalid response", response.BodyText);
        Assert.DoesNotContain("SSH", response.RawHead + response.BodyText);
    }

    [Fact]
    public void Get_TargetBodyCutShort_ClientConnectionClosedAndProxyKeepsServing()
    {
        var truncated = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nCache-Control: no-store\r\n\r\n0123456789");
        using var origin = new ScriptedOrigin(r => r.Target == "/cut"
            ? new OriginResponse { Raw = truncated, CloseAfter = true }
            : OriginResponse.Text("whole", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);

        using (var client = new RawClient(proxy.Port))
        {
            client.Send("GET /cut HTTP/1.1\r\nHost: h\r\n\r\n");
            var head = client.Reader.ReadHead();
            Assert.NotNull(head);
            Assert.StartsWith("HTTP/1.1 200", head.Value.startLine);
            // The client sees the close before the promised length, so it knows the body is incomplete.
            var failure = Assert.Throws<IOException>(() => client.Reader.ReadBody(head.Value.headers, noBody: false, untilCloseIfUnframed: true));
            Assert.Contains("after 10 of 1000", failure.Message);
        }

        using var next = new RawClient(proxy.Port);
        var response = next.Exchange("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Equal("whole", response.BodyText);
    }
}
