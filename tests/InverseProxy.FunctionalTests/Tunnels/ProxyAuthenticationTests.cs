using System.Text;
using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Proxy;
using InverseProxy.Routing;

namespace InverseProxy.FunctionalTests.Tunnels;

public sealed class ProxyAuthenticationTests
{
    private const string Password = "correct horse";

    [Fact]
    public void Request_NoCredentials_407WithChallenge()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("secret page"));
        using var proxy = StartWithUsers(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /p HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(407, response.Status());
        Assert.Equal("Basic realm=\"Staff\", charset=\"UTF-8\"", response.Header("Proxy-Authenticate"));
        Assert.Equal(0, origin.RequestCount);
        Assert.Equal(1, proxy.Server.Tunnels.AuthenticationChallenges);
    }

    [Fact]
    public void Request_WrongPassword_407AndLoggedWithUserNotPassword()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("secret page"));
        using var proxy = StartWithUsers(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET /p HTTP/1.1\r\nHost: h\r\nProxy-Authorization: {Basic("alice", "guess-123")}\r\n\r\n");

        Assert.Equal(407, response.Status());
        Assert.Equal(0, origin.RequestCount);
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains("user 'alice'", StringComparison.Ordinal))));
        Assert.DoesNotContain(proxy.ReadLog(), l => l.Contains("guess-123", StringComparison.Ordinal));
    }

    [Fact]
    public void Request_RightPassword_ForwardedWithoutProxyAuthorization()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("secret page", ("Cache-Control", "no-store")));
        using var proxy = StartWithUsers(origin.Port);
        using var client = new RawClient(proxy.Port);
        string request = $"GET /p HTTP/1.1\r\nHost: h\r\nProxy-Authorization: {Basic("alice", Password)}\r\n\r\n";

        var first = client.Exchange(request);
        var second = client.Exchange(request);

        Assert.Equal(200, first.Status());
        Assert.Equal(200, second.Status());
        Assert.Equal(2, origin.RequestCount);
        Assert.All(origin.Requests, r => Assert.Null(r.Header("Proxy-Authorization")));
    }

    [Fact]
    public void Curl_ForwardProxyWithProxyUser_200AndWithoutIt407()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("via forward proxy", ("Cache-Control", "no-store")));
        using var proxy = StartWithUsers(origin.Port, o =>
        {
            o.ForwardProxy = true;
            o.ForwardAllow = TargetAllowList.Parse(["127.0.0.0/8"], []);
        });
        string url = $"http://127.0.0.1:{origin.Port}/f";

        var refused = Curl.Run("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-x", proxy.BaseUrl, url);
        var allowed = Curl.Run("-sS", "-x", proxy.BaseUrl, "--proxy-user", $"alice:{Password}", url);

        Assert.Equal("407", refused.Output);
        Assert.True(allowed.ExitCode == 0, allowed.Errors);
        Assert.Equal("via forward proxy", allowed.Output);
        Assert.Equal(1, origin.RequestCount);
        Assert.Null(origin.Requests.Single().Header("Proxy-Authorization"));
    }

    [Fact]
    public void Connect_NoCredentials_407()
    {
        using var proxy = StartWithUsers(0, o =>
        {
            o.Connect = true;
            o.ForwardAllow = TargetAllowList.Parse(["127.0.0.0/8"], []);
        });
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n");

        Assert.Equal(407, response.Status());
        Assert.Equal(0, proxy.Server.Tunnels.Opened);
    }

    private static ProxyInstance StartWithUsers(int originPort, Action<InverseProxy.Configuration.ProxyOptions>? more = null)
    {
        string users = Path.Combine(TempDirectory.Create("users"), "users");
        File.WriteAllText(users, $"# proxy users\nalice:{PasswordHash.Create(Password)}\n");
        return ProxyInstance.Start(o =>
        {
            o.ProxyAuthUsers = users;
            o.ProxyAuthRealm = "Staff";
            more?.Invoke(o);
        }, originPort == 0 ? [] : [originPort]);
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
