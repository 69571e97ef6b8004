using System.Net.Sockets;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

public sealed class AdminSecurityTests : IDisposable
{
    private const string Token = "t0ken-for-tests";

    private readonly ScriptedOrigin _origin = new(_ => OriginResponse.Text("cached body", ("Cache-Control", "max-age=60")));
    private readonly ProxyInstance _proxy;
    private readonly int _adminPort;

    public AdminSecurityTests()
    {
        _adminPort = UnusedPort.Find();
        _proxy = ProxyInstance.Start(o => { o.AdminPort = _adminPort; o.AdminToken = Token; }, _origin.Port);
    }

    [Theory]
    [InlineData("GET /proxy-stats HTTP/1.1\r\nHost: rebound.example\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: rebound.example:" + "8081\r\n\r\n")]
    [InlineData("GET /metrics HTTP/1.0\r\n\r\n")]
    public void Request_HostNotNamingTheListener_421(string request)
    {
        var response = Admin(request);

        Assert.Equal(421, response.Status());
        Assert.DoesNotContain("inverseproxy_", response.BodyText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Authorization: Bearer wrong\r\n")]
    [InlineData("Authorization: Basic dDBrZW4tZm9yLXRlc3Rz\r\n")]
    public void Purge_WithoutTheToken_401AndEntryKept(string authorization)
    {
        StoreEntry();

        var response = Admin($"PURGE http://ops.test/cached HTTP/1.1\r\nHost: localhost\r\n{authorization}\r\n");

        Assert.Equal(401, response.Status());
        Assert.Equal("Bearer realm=\"inverseproxy-admin\"", response.Header("WWW-Authenticate"));
        Assert.Equal(1, _proxy.Server.Cache!.Counters().Entries);
    }

    [Fact]
    public void Purge_WithTheToken_Removed()
    {
        StoreEntry();

        var response = Admin($"PURGE http://ops.test/cached HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {Token}\r\n\r\n");

        Assert.Equal(200, response.Status());
        Assert.Equal(0, _proxy.Server.Cache!.Counters().Entries);
    }

    [Fact]
    public void Head_SentOneByteAtATime_CutOffAtTheDeadline()
    {
        using var client = new RawClient(_adminPort);
        client.Send("GET /metrics HTTP/1.1\r\nX-Slow: ");
        bool closed = false;
        // Each byte comes well within the 5 s receive timeout; only an overall deadline ends this.
        for (int i = 0; i < 60 && !closed; i++)
        {
            try
            {
                client.Send("a");
                closed = client.Socket.Poll(500_000, SelectMode.SelectRead) && client.Socket.Receive(new byte[1]) == 0;
            }
            catch (SocketException)
            {
                closed = true;
            }
        }

        Assert.True(closed, "the admin listener still read a head after 30 s");
    }

    [Fact]
    public void Connections_BeyondTheCap_503UntilOthersClose()
    {
        var idle = Enumerable.Range(0, 16).Select(_ => new RawClient(_adminPort)).ToList();
        try
        {
            var refused = Admin("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");

            Assert.Equal(503, refused.Status());
            Assert.Contains("too many admin connections", refused.BodyText);
            Assert.NotNull(refused.Header("Date"));
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
        Assert.True(Poll.Until(() => Admin("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").Status() == 200, TimeSpan.FromSeconds(10)));
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _origin.Dispose();
    }

    private void StoreEntry()
    {
        using var client = new RawClient(_proxy.Port);
        client.Exchange("GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n");
        Assert.True(Poll.Until(() => _proxy.Server.Cache!.Counters().Entries == 1, TimeSpan.FromSeconds(10)));
    }

    private WireMessage Admin(string request)
    {
        using var client = new RawClient(_adminPort);
        return client.Exchange(request);
    }
}
