using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

public sealed class FailoverTests
{
    [Fact]
    public void Get_OneOfTwoTargetsDies_AllAnsweredAndDeadTargetHeldDown()
    {
        using var survivor = new ScriptedOrigin(r => OriginResponse.Text("alive", ("Cache-Control", "no-store")));
        using var doomed = new ScriptedOrigin(r => OriginResponse.Text("doomed", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o => o.UpstreamHoldDown = TimeSpan.FromMinutes(5), survivor.Port, doomed.Port);
        using var client = new RawClient(proxy.Port);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(200, client.Exchange("GET /before HTTP/1.1\r\nHost: h\r\n\r\n").Status());
        }
        Assert.Equal(2, doomed.RequestCount);

        doomed.Dispose();
        using var downed = DownedPort.Hold(doomed.Port);
        var after = Enumerable.Range(0, 20).Select(i => client.Exchange($"GET /after{i} HTTP/1.1\r\nHost: h\r\n\r\n")).ToList();

        Assert.All(after, r => Assert.Equal("HTTP/1.1 200 OK", r.StartLine));
        Assert.All(after, r => Assert.Equal("alive", r.BodyText));
        var dead = proxy.Server.Targets.Single(t => t.EndPoint.Port == doomed.Port);
        Assert.True(dead.IsHeldDown);
        Assert.False(proxy.Server.Targets.Single(t => t.EndPoint.Port == survivor.Port).IsHeldDown);
        // Held down: one refused connect, then no more attempts for the rest of the run.
        string name = $"127.0.0.1:{doomed.Port}";
        var log = proxy.ReadLog();
        Assert.Single(log, l => l.Contains($"Connect to target {name} failed"));
        Assert.Single(log, l => l.Contains($"Target {name} held down"));
    }

    [Fact]
    public void Get_AllTargetsRefuse_502NamingTheCause()
    {
        using var deadA = DownedPort.Hold();
        using var deadB = DownedPort.Hold();
        using var proxy = ProxyInstance.Start(deadA.Port(), deadB.Port());
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 502 Bad Gateway", response.StartLine);
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
        Assert.Contains("no target accepted the connection", response.BodyText);
        Assert.True(response.Body.Length < 200, "error body should be short");
    }

    [Fact]
    public void Head_AllTargetsRefuse_502WithoutBody()
    {
        using var dead = DownedPort.Hold();
        using var proxy = ProxyInstance.Start(dead.Port());
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("HEAD /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", headRequest: true);

        Assert.Equal("HTTP/1.1 502 Bad Gateway", response.StartLine);
        // Nothing follows the head: the next bytes are the close.
        Assert.Empty(client.Reader.ReadToEnd());
    }

    [Fact]
    public void Get_TargetHangsUp_RetriedOnOtherTarget()
    {
        using var good = new ScriptedOrigin(r => OriginResponse.Text("good", ("Cache-Control", "no-store")));
        using var rude = new ScriptedOrigin(r => new OriginResponse { Hangup = true });
        using var proxy = ProxyInstance.Start(rude.Port, good.Port);
        using var client = new RawClient(proxy.Port);

        var responses = Enumerable.Range(0, 4).Select(i => client.Exchange($"GET /h{i} HTTP/1.1\r\nHost: h\r\n\r\n")).ToList();

        Assert.All(responses, r => Assert.Equal("good", r.BodyText));
        Assert.True(rude.RequestCount > 0, "the hanging target was never tried");
        Assert.Equal(4, good.RequestCount);
    }

    [Fact]
    public void Get_OnlyTargetHangsUp_502()
    {
        using var rude = new ScriptedOrigin(r => new OriginResponse { Hangup = true });
        using var proxy = ProxyInstance.Start(rude.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /h HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(502, response.Status());
        Assert.Contains("closed the connection without answering", response.BodyText);
    }

    [Fact]
    public void Post_TargetHangsUpAfterBody_NotRetried502()
    {
        using var a = new ScriptedOrigin(r => new OriginResponse { Hangup = true });
        using var b = new ScriptedOrigin(r => new OriginResponse { Hangup = true });
        using var proxy = ProxyInstance.Start(a.Port, b.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("POST /pay HTTP/1.1\r\nHost: h\r\nContent-Length: 7\r\n\r\npayment");

        Assert.Equal(502, response.Status());
        var attempts = a.Requests.Concat(b.Requests).ToList();
        var attempt = Assert.Single(attempts);
        Assert.Equal("payment", attempt.Message.BodyText);
    }
}
