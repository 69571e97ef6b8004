using System.Net;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Proxy.Policy;

/// <summary>Request filtering on the wire: a denied request gets deny_status and the target sees nothing.</summary>
public sealed class RequestFilterTests
{
    private static ScriptedOrigin CacheableOrigin() =>
        new(r => OriginResponse.Text("served " + r.Target, ("Cache-Control", "max-age=600")));

    [Theory]
    [InlineData("/admin/x")]
    [InlineData("/ADMIN/a/b/c?q=1")]
    [InlineData("/%61dmin/x")]
    [InlineData("/shop/index.php")]
    public void DenyPaths_Match_403AndTargetSeesNothing(string path)
    {
        using var origin = CacheableOrigin();
        using var proxy = ProxyInstance.Start(o => o.DenyPaths = ["/admin/**", "/*/index.php"], origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET {path} HTTP/1.1\r\nHost: a.example\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(0, origin.RequestCount);
        Assert.Contains(proxy.ReadLog(), l => l.Contains("deny_paths denied GET", StringComparison.Ordinal));
        Assert.Equal(1, proxy.Server.Config.Sites.All.Single().Counters.Filtered);
    }

    [Fact]
    public void DenyPaths_OnlyMatchingPathsDenied_OthersForwarded()
    {
        using var origin = CacheableOrigin();
        using var proxy = ProxyInstance.Start(o => o.DenyPaths = ["/admin/**", "/*/index.php"], origin.Port);
        using var client = new RawClient(proxy.Port);

        var statuses = new[] { "/administrator", "/a/b/index.php", "/x?path=/admin/y", "/admin/z" }
            .Select(path => client.Exchange($"GET {path} HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());

        Assert.Equal([200, 200, 200, 403], statuses);
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void DenyPaths_AfterReload_StoredResponseIsNotServed()
    {
        using var origin = CacheableOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        Assert.Equal(200, client.Exchange("GET /secret/a HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());

        var next = ProxyInstance.DefaultOptions(proxy.Directory, origin.Port);
        next.DenyPaths = ["/secret/**"];
        next.DenyStatus = 404;
        proxy.Server.Reload(next);
        var response = client.Exchange("GET /secret/a HTTP/1.1\r\nHost: a.example\r\n\r\n");

        Assert.Equal(404, response.Status());
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void DenyMethods_Listed_403()
    {
        using var origin = CacheableOrigin();
        using var proxy = ProxyInstance.Start(o => o.DenyMethods = ["TRACE", "DELETE"], origin.Port);
        using var client = new RawClient(proxy.Port);

        Assert.Equal(403, client.Exchange("DELETE /a HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());
        Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());

        Assert.Equal(1, origin.RequestCount);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "", "127.0.0.0/8", "")]
    [InlineData("", "127.0.0.1", "", "::1, 10.0.0.0/8")]
    public void ClientNetworks_PeerAddress_DeniedByOneRuleServedByTheOther(string denyingAllow, string denyingDeny, string passingAllow, string passingDeny)
    {
        using var origin = CacheableOrigin();
        using var denying = ProxyInstance.Start(o => (o.AllowClients, o.DenyClients) = (Networks(denyingAllow), Networks(denyingDeny)), origin.Port);
        using var passing = ProxyInstance.Start(o => (o.AllowClients, o.DenyClients) = (Networks(passingAllow), Networks(passingDeny)), origin.Port);
        using var denied = new RawClient(denying.Port);
        using var served = new RawClient(passing.Port);

        Assert.Equal(403, denied.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());
        Assert.Equal(200, served.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\n\r\n").Status());
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void DenyUserAgents_CatastrophicBacktrackingPattern_AnswersAndCountsAsMatch()
    {
        using var origin = CacheableOrigin();
        // The backreference keeps this pattern off the linear engine: without a time limit it backtracks for ages.
        using var proxy = ProxyInstance.Start(o => o.DenyUserAgents = @"^(a+)+\1$", origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 5_000);

        var response = client.Exchange($"GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: {new string('a', 40)}!\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(0, origin.RequestCount);
        Assert.Contains(proxy.ReadLog(), l => l.Contains("counted as a match", StringComparison.Ordinal));
    }

    [Fact]
    public void DenyUserAgents_NestedQuantifierOnLongValue_RunsLinearAndForwards()
    {
        using var origin = CacheableOrigin();
        using var proxy = ProxyInstance.Start(o => o.DenyUserAgents = "(a+)+$|^curl/", origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 5_000);

        var passed = client.Exchange($"GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: {new string('a', 20_000)}!\r\n\r\n");
        var denied = client.Exchange("GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: CURL/8.1\r\n\r\n");

        Assert.Equal(200, passed.Status());
        Assert.Equal(403, denied.Status());
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void DenyHostsFile_HundredThousandDomains_SubdomainOfListedDenied_OthersServed()
    {
        using var origin = CacheableOrigin();
        string directory = TempDirectory.Create("hosts");
        string file = Path.Combine(directory, "blocked.txt");
        File.WriteAllLines(file, Enumerable.Range(0, 100_000).Select(i => i % 2 == 0 ? $"0.0.0.0 ads{i}.example" : $"track{i}.example # tracker"));
        using var proxy = ProxyInstance.Start(o => o.DenyHostsFile = file, origin.Port);
        using var client = new RawClient(proxy.Port);

        Assert.Equal(403, client.Exchange("GET /a HTTP/1.1\r\nHost: cdn.ads4242.example\r\n\r\n").Status());
        Assert.Equal(403, client.Exchange("GET /a HTTP/1.1\r\nHost: TRACK99999.example:8080\r\n\r\n").Status());
        Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: ads4243.example\r\n\r\n").Status());

        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void DenyHostsFile_ChangedThenReloaded_NewDomainDenied()
    {
        using var origin = CacheableOrigin();
        string file = Path.Combine(TempDirectory.Create("hosts"), "blocked.txt");
        File.WriteAllText(file, "old.example\n");
        using var proxy = ProxyInstance.Start(o => o.DenyHostsFile = file, origin.Port);
        using var client = new RawClient(proxy.Port);
        Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: new.example\r\n\r\n").Status());

        File.WriteAllText(file, "new.example\n");
        var next = ProxyInstance.DefaultOptions(proxy.Directory, origin.Port);
        next.DenyHostsFile = file;
        proxy.Server.Reload(next);

        Assert.Equal(403, client.Exchange("GET /a HTTP/1.1\r\nHost: new.example\r\n\r\n").Status());
        Assert.Equal(200, client.Exchange("GET /a HTTP/1.1\r\nHost: old.example\r\n\r\n").Status());
    }

    private static List<IPNetwork> Networks(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => t.Contains('/') ? IPNetwork.Parse(t) : new IPNetwork(IPAddress.Parse(t), t.Contains(':') ? 128 : 32)).ToList();
}
