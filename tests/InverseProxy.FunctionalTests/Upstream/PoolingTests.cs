using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

public sealed class PoolingTests
{
    [Fact]
    public void Get_SequentialRequestsFromSeveralClients_ReuseFewUpstreamConnections()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        var clients = Enumerable.Range(0, 4).Select(_ => new RawClient(proxy.Port)).ToList();

        for (int i = 0; i < 25; i++)
        {
            foreach (var client in clients)
            {
                Assert.Equal(200, client.Exchange($"GET /p{i} HTTP/1.1\r\nHost: h\r\n\r\n").Status());
            }
        }
        clients.ForEach(c => c.Dispose());

        Assert.Equal(100, origin.RequestCount);
        // Each response is fully read before the next request starts, so one or two connections should carry all.
        Assert.InRange(origin.ConnectionCount, 1, 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Get_PooledConnectionAlternatingResponses_NoFieldOfOneReachesTheNext(bool oneClient)
    {
        // Each thread keeps one upstream reader and refills its response head for every exchange, whichever pooled
        // connection the thread rents, and a pooled connection serves whichever thread rents it next: a field of one
        // user's response must never show on another's, across threads (two clients) or on one (one client).
        using var origin = new ScriptedOrigin(r => r.Target.StartsWith("/private", StringComparison.Ordinal)
            ? OriginResponse.Text("mine", ("Cache-Control", "private, no-store"), ("Set-Cookie", "session=alice"), ("X-Only-Private", "1"))
            : OriginResponse.Text("public", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var alice = new RawClient(proxy.Port);
        using var bob = new RawClient(proxy.Port);
        var other = oneClient ? alice : bob;

        for (int i = 0; i < 30; i++)
        {
            var mine = alice.Exchange($"GET /private/{i} HTTP/1.1\r\nHost: h\r\n\r\n");
            var theirs = other.Exchange($"GET /public/{i} HTTP/1.1\r\nHost: h\r\n\r\n");

            Assert.Equal("session=alice", mine.Header("Set-Cookie"));
            Assert.Equal("mine", mine.BodyText);
            Assert.Null(theirs.Header("Set-Cookie"));
            Assert.Null(theirs.Header("X-Only-Private"));
            Assert.Equal("public", theirs.BodyText);
            Assert.Equal(1, theirs.RawHead.Split("Via:").Length - 1);
        }
        Assert.InRange(origin.ConnectionCount, 1, 2);
    }

    [Fact]
    public void Get_ClientsOnSeveralThreads_FewUpstreamConnections()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            using var client = new RawClient(proxy.Port);
            for (int i = 0; i < 40; i++)
            {
                client.Exchange($"GET /t{i} HTTP/1.1\r\nHost: h\r\nX-Client: {t}\r\n\r\n");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(160, origin.RequestCount);
        Assert.InRange(origin.ConnectionCount, 1, 8);
    }

    [Fact]
    public void Get_ClientWithNoIdleConnectionOfItsOwn_TakesAnotherClientsIdleOne()
    {
        // A thread returns its target connection to its own pool stripe and looks there first; one whose stripe is
        // empty takes another's idle connection rather than opening a new one. A pooled connection is not a client's.
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var first = new RawClient(proxy.Port);
        using var second = new RawClient(proxy.Port); // both stay open, so each has a thread of its own

        Assert.Equal(200, first.Exchange("GET /a HTTP/1.1\r\nHost: h\r\nX-Client: 1\r\n\r\n").Status());
        Assert.True(Poll.Until(() => proxy.Server.Pool!.IdleCount == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(200, second.Exchange("GET /b HTTP/1.1\r\nHost: h\r\nX-Client: 2\r\n\r\n").Status());

        Assert.Equal(1, origin.ConnectionCount);
        Assert.Equal(["1", "2"], origin.Requests.Select(r => r.Header("X-Client")));
    }

    [Fact]
    public void Get_ClientGoneBeforeSmallResponse_TargetConnectionKeptForTheNext()
    {
        // The target's side of the exchange is complete whatever the client does: its connection goes back to the
        // pool, and the next request on it gets its own answer, nothing of the one no one read.
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = Encoding.ASCII.GetBytes($"for {r.Target}"),
            Headers = { new("Cache-Control", "no-store") },
            Delay = r.Target == "/gone" ? TimeSpan.FromMilliseconds(200) : TimeSpan.Zero,
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using (var gone = new RawClient(proxy.Port))
        {
            gone.Send("GET /gone HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.True(Poll.Until(() => origin.RequestCount == 1, TimeSpan.FromSeconds(5)));
            gone.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0); // closing resets the connection
        }
        Assert.True(Poll.Until(() => proxy.Server.Pool!.IdleCount == 1, TimeSpan.FromSeconds(5)));

        using var next = new RawClient(proxy.Port);
        var response = next.Exchange("GET /next HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("for /next", response.BodyText);
        Assert.Equal(1, origin.ConnectionCount);
    }

    [Fact]
    public void Get_PooledConnectionClosedByTargetWhileIdle_NextRequestStillSucceeds()
    {
        // Keep-alive as far as the headers say, but the target closes the socket right after each response.
        var raw = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nCache-Control: no-store\r\n\r\nok");
        using var origin = new ScriptedOrigin(r => new OriginResponse { Raw = raw, CloseAfter = true });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        for (int i = 0; i < 10; i++)
        {
            var response = client.Exchange($"GET /s{i} HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
            Assert.Equal("ok", response.BodyText);
        }

        Assert.Equal(10, origin.RequestCount);
        Assert.Equal(10, origin.ConnectionCount);
    }

    [Fact]
    public void Get_PooledConnectionDroppedWithoutAnswer_ReplayedOnFreshConnection()
    {
        // The second request on any upstream connection is dropped unanswered, as by a target closing an idle connection.
        using var origin = new ScriptedOrigin();
        origin.Handler = r => origin.Requests.Count(q => q.ConnectionId == r.ConnectionId) > 1
            ? new OriginResponse { Hangup = true }
            : OriginResponse.Text("fresh", ("Cache-Control", "no-store"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        Assert.Equal(200, client.Exchange("GET /first HTTP/1.1\r\nHost: h\r\n\r\n").Status());
        WaitUntilLogged(proxy, "/first");
        var second = client.Exchange("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", second.StartLine);
        Assert.Equal("fresh", second.BodyText);
        Assert.Equal(2, origin.ConnectionCount);
    }

    [Fact]
    public void Get_PooledConnectionDroppedWithoutAnswer_ReplacedOnSameTargetWithoutUsingTheRetry()
    {
        using var a = new ScriptedOrigin();
        a.Handler = r => a.Requests.Count(q => q.ConnectionId == r.ConnectionId) > 1
            ? new OriginResponse { Hangup = true }
            : OriginResponse.Text("a", ("Cache-Control", "no-store"));
        using var b = new ScriptedOrigin(r => OriginResponse.Text("b", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(a.Port, b.Port);
        using var client = new RawClient(proxy.Port);
        Assert.Equal("a", client.Exchange("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n").BodyText);
        Assert.Equal("b", client.Exchange("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").BodyText);
        WaitUntilLogged(proxy, "/1");

        var third = client.Exchange("GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");

        // A's turn: its pooled connection was dead, so a fresh one to A answers; the retry on B stays unused.
        Assert.Equal("a", third.BodyText);
        Assert.Equal(2, a.ConnectionCount);
        Assert.Equal(1, b.RequestCount);
        Assert.DoesNotContain(proxy.ReadLog(), l => l.Contains("retrying on"));
    }

    [Fact]
    public void Post_PooledConnectionDroppedAfterRequestArrived_NotReplayed502()
    {
        using var origin = new ScriptedOrigin(r => r.Method == "POST"
            ? new OriginResponse { Hangup = true }
            : OriginResponse.Text("warm", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        Assert.Equal(200, client.Exchange("GET /warm HTTP/1.1\r\nHost: h\r\n\r\n").Status());
        WaitUntilLogged(proxy, "/warm");

        var response = client.Exchange("POST /order HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(502, response.Status());
        // The target received the POST once; sending it again could apply it twice (RFC 9110 §9.2.2).
        Assert.Equal(1, origin.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(1, origin.ConnectionCount);
    }

    /// <summary>The access line is written after the upstream connection went back to the pool.</summary>
    private static void WaitUntilLogged(ProxyInstance proxy, string target) =>
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains($" {target} HTTP/1.1\" 200 "))), $"no access line for {target}");
}
