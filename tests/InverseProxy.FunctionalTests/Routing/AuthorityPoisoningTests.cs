using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Routing;

/// <summary>
/// Requests that tried to make the cache store a response under another authority than the one it was fetched for.
/// Each answer is checked on the wire, and a later honest request must not be served what the attacker set up.
/// </summary>
public sealed class AuthorityPoisoningTests
{
    [Fact]
    public void AbsoluteFormWithAnotherHost_OriginSeesTheTargetsAuthority_HonestClientGetsAnHonestRedirect()
    {
        // An origin that builds redirects from X-Forwarded-Host, as many frameworks do behind a proxy.
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Status = 301,
            Reason = "Moved Permanently",
            Headers = { new("Location", $"http://{r.Header("X-Forwarded-Host")}/login"), new("Cache-Control", "max-age=600") },
        });
        using var proxy = ProxyInstance.Start(origin.Port);

        using (var attacker = new RawClient(proxy.Port))
        {
            attacker.Exchange("GET http://victim.example/x-redirect HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        }
        using var honest = new RawClient(proxy.Port);
        var response = honest.Exchange("GET /x-redirect HTTP/1.1\r\nHost: victim.example\r\n\r\n");

        Assert.Equal(301, response.Status());
        Assert.Equal("http://victim.example/login", response.Header("Location"));
        Assert.All(origin.Requests, r => Assert.Equal("victim.example", r.Header("Host")));
        Assert.All(origin.Requests, r => Assert.Equal("victim.example", r.Header("X-Forwarded-Host")));
    }

    [Theory]
    [InlineData("victim.example/a")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("a, b")]
    [InlineData("victim.example?x")]
    [InlineData("victim.example#x")]
    [InlineData("user@victim.example")]
    [InlineData("victim.example:")]
    [InlineData("victim.example:99999")]
    [InlineData("victim.example:8a")]
    [InlineData("[::1")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("victim..example")]
    [InlineData(".")]
    [InlineData("victim.example\u0001")]
    public void InvalidHost_Refused400_NothingForwardedOrStored(string host)
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("origin", ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET /b HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal(400, response.Status());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void HostWithPath_CannotStoreUnderAnotherPath()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("served " + r.Target, ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(origin.Port);

        using (var attacker = new RawClient(proxy.Port))
        {
            Assert.Equal(400, attacker.Exchange("GET /b HTTP/1.1\r\nHost: victim.example/a\r\n\r\n").Status());
        }
        using var honest = new RawClient(proxy.Port);
        var response = honest.Exchange("GET /a/b HTTP/1.1\r\nHost: victim.example\r\n\r\n");

        Assert.Equal("served /a/b", response.BodyText);
        Assert.Equal("MISS", response.Header("X-Cache"));
    }

    [Fact]
    public void AbsoluteFormWithUserinfo_Refused400()
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("ui", ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET http://attacker.example@victim.example/ui HTTP/1.1\r\nHost: victim.example\r\n\r\n");

        Assert.Equal(400, response.Status());
        Assert.Equal(0, origin.RequestCount);
    }

    [Theory]
    [InlineData("Victim.Example")]
    [InlineData("victim.example.")]
    [InlineData("victim.example:80")]
    [InlineData("VICTIM.EXAMPLE.:80")]
    public void EquivalentAuthorities_OneEntry(string host)
    {
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("one", ("Cache-Control", "max-age=600")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /p HTTP/1.1\r\nHost: victim.example\r\n\r\n");
        var response = client.Exchange($"GET /p HTTP/1.1\r\nHost: {host}\r\n\r\n");

        Assert.Equal("HIT", response.Header("X-Cache"));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void VaryOnForwardingField_SecondIdenticalRequestIsAHit()
    {
        // The key is made from the client's fields, which the proxy no longer rewrites: Vary: X-Forwarded-For matches.
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("v", ("Cache-Control", "max-age=600"), ("Vary", "X-Forwarded-For, Via")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET /v HTTP/1.1\r\nHost: h.example\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
        var second = client.Exchange("GET /v HTTP/1.1\r\nHost: h.example\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n");
        var other = client.Exchange("GET /v HTTP/1.1\r\nHost: h.example\r\nX-Forwarded-For: 198.51.100.1\r\n\r\n");

        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal("MISS", other.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void BackgroundRevalidation_SendsWhatAMissSends()
    {
        // The first request is a miss; the entry is then stale but within stale-while-revalidate, so the second is
        // served at once and refreshed in the background. Both refreshes must reach the origin alike.
        using var origin = new ScriptedOrigin(_ => OriginResponse.Text("r", ("Cache-Control", "max-age=1, stale-while-revalidate=60"), ("ETag", "\"e1\"")));
        using var proxy = ProxyInstance.Start(o => o.UpstreamHost = "backend.internal:8080", origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Exchange("GET http://site.example/r?q=1 HTTP/1.1\r\nHost: ignored.example\r\n\r\n");
        Thread.Sleep(TimeSpan.FromSeconds(2.2));
        var stale = client.Exchange("GET http://site.example/r?q=1 HTTP/1.1\r\nHost: ignored.example\r\n\r\n");
        Assert.Equal("STALE", stale.Header("X-Cache"));
        Assert.True(Poll.Until(() => origin.RequestCount == 2, TimeSpan.FromSeconds(5)));

        var seen = origin.Requests.ToArray();
        var (miss, refresh) = (seen[0], seen[1]);
        Assert.Equal(miss.Message.StartLine, refresh.Message.StartLine);
        Assert.Equal("GET /r?q=1 HTTP/1.1", refresh.Message.StartLine);
        foreach (string name in new[] { "Host", "X-Forwarded-Host", "X-Forwarded-Proto", "Via" })
        {
            Assert.Equal(miss.Header(name), refresh.Header(name));
        }
        Assert.Equal("backend.internal:8080", refresh.Header("Host"));
        Assert.Equal("site.example", refresh.Header("X-Forwarded-Host"));
        Assert.Equal("\"e1\"", refresh.Header("If-None-Match"));
    }
}
