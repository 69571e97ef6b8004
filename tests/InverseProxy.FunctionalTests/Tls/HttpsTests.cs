using System.Net.Sockets;
using System.Security.Authentication;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Tls;

/// <summary>The proxy's TLS port, in process, with a CA and certificates made by the test.</summary>
public sealed class HttpsTests : IDisposable
{
    private readonly TestCa _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void Curl_OverHttpsWithTheCaTrusted_SecondRequestIsACacheHit()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("over tls " + r.Header("X-Forwarded-Proto"), ("Cache-Control", "max-age=60")));
        using var proxy = StartTls(origin.Port);
        string ca = _ca.WritePem(proxy.Directory);
        string url = $"https://localhost:{proxy.Options.TlsPort}/page";

        var first = Curl.Run("-sS", "-D", "-", "--cacert", ca, url);
        var second = Curl.Run("-sS", "-D", "-", "--cacert", ca, url);

        Assert.True(first.ExitCode == 0, first.Errors);
        Assert.Contains("X-Cache: MISS", first.Output);
        Assert.True(second.ExitCode == 0, second.Errors);
        Assert.Contains("X-Cache: HIT", second.Output);
        Assert.EndsWith("over tls https", second.Output.TrimEnd());
        Assert.Equal(1, origin.RequestCount);
        Assert.Equal("https", origin.Requests.Single().Header("X-Forwarded-Proto"));
    }

    [Fact]
    public void SamePath_OverHttpAndHttps_StoredApart()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("via " + r.Header("X-Forwarded-Proto"), ("Cache-Control", "max-age=60")));
        using var proxy = StartTls(origin.Port);
        using var tls = new TlsClient(proxy.Options.TlsPort, "localhost", _ca);
        using var plain = new RawClient(proxy.Port);

        var secure = tls.Exchange("GET /same HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var clear = plain.Exchange("GET /same HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var secureAgain = tls.Exchange("GET /same HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal("via https", secure.BodyText);
        Assert.Equal("via http", clear.BodyText);
        Assert.Equal("MISS", clear.Header("X-Cache"));
        Assert.Equal("via https", secureAgain.BodyText);
        Assert.Equal("HIT", secureAgain.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void PurgeOnThePlainPort_RemovesWhatWasStoredOverTls()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored", ("Cache-Control", "max-age=60")));
        using var proxy = StartTls(origin.Port, o =>
        {
            o.RedirectToHttps = true;
            o.PurgeAllowed = [System.Net.IPAddress.Loopback];
        });
        using var tls = new TlsClient(proxy.Options.TlsPort, "localhost", _ca);
        using var plain = new RawClient(proxy.Port);
        tls.Exchange("GET /p HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal("HIT", tls.Exchange("GET /p HTTP/1.1\r\nHost: localhost\r\n\r\n").Header("X-Cache"));

        var purge = plain.Exchange("PURGE /p HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, purge.Status());
        Assert.Equal("MISS", tls.Exchange("GET /p HTTP/1.1\r\nHost: localhost\r\n\r\n").Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void ClientSendingNothing_ClosedAfterTheHandshakeTimeout()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x"));
        using var proxy = StartTls(origin.Port, o =>
        {
            o.TlsHandshakeTimeout = TimeSpan.FromSeconds(1);
            o.ConnectionTimeout = TimeSpan.FromMinutes(5); // so that only the handshake's deadline can close it
        });
        using var silent = new RawClient(proxy.Options.TlsPort, receiveTimeoutMs: 30_000);

        Assert.True(silent.IsClosedByPeer());
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains("TLS handshake not done within 1000ms", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public void Handshake_Tls12AndTls13_AcceptedByDefault(SslProtocols version)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok"));
        using var proxy = StartTls(origin.Port);

        using var client = new TlsClient(proxy.Options.TlsPort, "localhost", _ca, version);

        Assert.Equal(version, client.Protocol);
        Assert.Equal("ok", client.Exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText);
    }

    [Fact]
    public void Handshake_Tls10AndTls11_Refused()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok"));
        using var proxy = StartTls(origin.Port);
        string ca = _ca.WritePem(proxy.Directory);

        // curl's OpenSSL, told to go no higher than 1.1 and to allow it at all (security level 0).
        var old = Curl.Run("-sS", "--cacert", ca, "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", $"https://localhost:{proxy.Options.TlsPort}/");

        Assert.NotEqual(0, old.ExitCode);
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void TlsProtocolsOnlyTls13_Tls12ClientRefused()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok"));
        using var proxy = StartTls(origin.Port, o => o.TlsProtocols = SslProtocols.Tls13);

        Assert.ThrowsAny<Exception>(() => new TlsClient(proxy.Options.TlsPort, "localhost", _ca, SslProtocols.Tls12));
        using var client = new TlsClient(proxy.Options.TlsPort, "localhost", _ca, SslProtocols.Tls13 | SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls13, client.Protocol);
    }

    [Fact]
    public void RedirectToHttps_PlainGet_Gets308ToTheTlsPort_PurgeExempt()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x"));
        using var proxy = StartTls(origin.Port, o =>
        {
            o.RedirectToHttps = true;
            o.PurgeAllowed = [System.Net.IPAddress.Loopback];
        });
        using var plain = new RawClient(proxy.Port);

        var redirected = plain.Exchange("GET /a/b?c=1 HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n");
        var purge = plain.Exchange("PURGE /a/b?c=1 HTTP/1.1\r\nHost: shop.test:8080\r\n\r\n");

        Assert.Equal("HTTP/1.1 308 Permanent Redirect", redirected.StartLine);
        Assert.Equal($"https://shop.test:{proxy.Options.TlsPort}/a/b?c=1", redirected.Header("Location"));
        Assert.Equal(404, purge.Status());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void WebSocketUpgrade_OnTheTlsPort_Answered501()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x"));
        using var proxy = StartTls(origin.Port);
        using var client = new TlsClient(proxy.Options.TlsPort, "localhost", _ca);

        var response = client.Exchange("GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        Assert.Equal(501, response.Status());
        Assert.Equal(0, origin.RequestCount);
    }

    [Fact]
    public void RequestOverTls_AccessLogNamesTheVersion_ProxyStatsCountTheHandshake()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x"));
        int adminPort = UnusedPort.Find();
        using var proxy = StartTls(origin.Port, o => o.AdminPort = adminPort);
        using (var client = new TlsClient(proxy.Options.TlsPort, "localhost", _ca, SslProtocols.Tls13))
        {
            client.Exchange("GET /over-tls HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        using (var plain = new RawClient(proxy.Port))
        {
            plain.Exchange("GET /plain HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }

        using var admin = new RawClient(adminPort);
        using var stats = System.Text.Json.JsonDocument.Parse(admin.Exchange("GET /proxy-stats HTTP/1.1\r\nHost: localhost\r\n\r\n").Body);

        Assert.Equal(1, stats.RootElement.GetProperty("tls").GetProperty("handshakes").GetProperty("TLSv1.3").GetInt64());
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains("\"GET /plain HTTP/1.1\"", StringComparison.Ordinal))));
        var lines = proxy.ReadLog();
        Assert.EndsWith(" tls=TLSv1.3", lines.Single(l => l.Contains("\"GET /over-tls HTTP/1.1\"", StringComparison.Ordinal)));
        Assert.EndsWith(" site=default", lines.Single(l => l.Contains("\"GET /plain HTTP/1.1\"", StringComparison.Ordinal)));
    }

    private ProxyInstance StartTls(int originPort, Action<InverseProxy.Configuration.ProxyOptions>? configure = null)
    {
        string files = TempDirectory.Create("tls-files");
        var (certificate, key) = _ca.Issue(["localhost"]).Write(files, "localhost");
        return ProxyInstance.Start(o =>
        {
            o.TlsPort = UnusedPort.Find();
            o.TlsCertificate = certificate;
            o.TlsKey = key;
            configure?.Invoke(o);
        }, originPort);
    }
}
