using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Tls;

/// <summary>The real proxy process: certificates per site by SNI, swapped by SIGHUP, refused when bad, checked by --check.</summary>
public sealed class CertificateReloadTests : IDisposable
{
    private readonly TestCa _ca = new();
    private readonly string _directory = TempDirectory.Create("tls");

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void TwoSites_EachGetsItsOwnCertificateBySni_HostOfTheOtherSiteGets421()
    {
        using var shop = new ScriptedOrigin(r => OriginResponse.Text("shop"));
        using var blog = new ScriptedOrigin(r => OriginResponse.Text("blog"));
        _ca.Issue(["fallback.test", "other.test"]).Write(_directory, "fallback");
        _ca.Issue(["shop.test"]).Write(_directory, "shop");
        _ca.Issue(["*.blog.test"]).Write(_directory, "blog");
        int tlsPort = UnusedPort.Find();
        using var proxy = ProxyProcess.StartListening(_directory,
            $"tls_port = {tlsPort}", "tls_certificate = fallback.pem", "tls_key = fallback.key", $"targets = 127.0.0.1:{shop.Port}",
            "[site:shop]", "hosts = shop.test", $"targets = 127.0.0.1:{shop.Port}", "tls_certificate = shop.pem", "tls_key = shop.key",
            "[site:blog]", "hosts = *.blog.test", $"targets = 127.0.0.1:{blog.Port}", "tls_certificate = blog.pem", "tls_key = blog.key");

        using var toShop = new TlsClient(tlsPort, "shop.test", _ca);
        using var toBlog = new TlsClient(tlsPort, "www.blog.test", _ca);
        using var toOther = new TlsClient(tlsPort, "other.test", _ca);

        Assert.Equal("CN=shop.test", toShop.ServerCertificate.Subject);
        Assert.Equal("CN=*.blog.test", toBlog.ServerCertificate.Subject);
        Assert.Equal("CN=fallback.test", toOther.ServerCertificate.Subject);
        Assert.Equal("shop", toShop.Exchange("GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n").BodyText);
        Assert.Equal("blog", toBlog.Exchange("GET / HTTP/1.1\r\nHost: www.blog.test\r\n\r\n").BodyText);
        Assert.Equal(421, toShop.Exchange("GET / HTTP/1.1\r\nHost: www.blog.test\r\n\r\n").Status());
        Assert.Equal(1, blog.RequestCount);
    }

    [Fact]
    public void Sighup_NewCertificate_NewHandshakesUseIt_KeepAliveConnectionStaysOpen()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok " + r.Target));
        _ca.Issue(["localhost", "old.test"]).Write(_directory, "site");
        int tlsPort = UnusedPort.Find();
        string[] settings = [$"tls_port = {tlsPort}", "tls_certificate = site.pem", "tls_key = site.key", $"targets = 127.0.0.1:{origin.Port}"];
        using var proxy = ProxyProcess.StartListening(_directory, settings);
        using var open = new TlsClient(tlsPort, "localhost", _ca);
        Assert.Equal("ok /before", open.Exchange("GET /before HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText);

        _ca.Issue(["localhost", "new.test"]).Write(_directory, "site");
        proxy.Signal("HUP");

        Assert.True(proxy.WaitForOutput("Certificates reloaded"), proxy.Output);
        using var fresh = new TlsClient(tlsPort, "localhost", _ca);
        Assert.Contains("new.test", fresh.ServerCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, false) + string.Join(",", SubjectNames(fresh)));
        Assert.Equal("ok /after", open.Exchange("GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText);
        Assert.Contains("old.test", string.Join(",", SubjectNames(open)));
    }

    [Fact]
    public void Sighup_CertificateFileDamaged_RefusedWithItsName_OldCertificateKept()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("ok"));
        _ca.Issue(["localhost", "old.test"]).Write(_directory, "site");
        int tlsPort = UnusedPort.Find();
        using var proxy = ProxyProcess.StartListening(_directory,
            $"tls_port = {tlsPort}", "tls_certificate = site.pem", "tls_key = site.key", $"targets = 127.0.0.1:{origin.Port}");

        File.WriteAllText(Path.Combine(_directory, "site.pem"), "not a certificate\n");
        proxy.Signal("HUP");

        Assert.True(proxy.WaitForOutput("Certificate refused on reload"), proxy.Output);
        Assert.True(proxy.OutputContains("site.pem' holds no PEM certificate"), proxy.Output);
        using var client = new TlsClient(tlsPort, "localhost", _ca);
        Assert.Contains("old.test", string.Join(",", SubjectNames(client)));
        Assert.Equal("ok", client.Exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText);
    }

    [Fact]
    public void Check_KeyOfAnotherCertificate_FailsNamingTheKeyFile()
    {
        _ca.Issue(["localhost"]).Write(_directory, "site");
        File.Copy(Path.Combine(_directory, "site.key"), Path.Combine(_directory, "other.key"));
        _ca.Issue(["localhost"]).Write(_directory, "site"); // a new key pair: other.key no longer matches
        string config = ProxyConfigFile.Write(_directory, $"tls_port = {UnusedPort.Find()}", "tls_certificate = site.pem", "tls_key = other.key", "targets = 127.0.0.1:9");

        using var check = ProxyProcess.Run("--check", "--config", config);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains($"tls_key: '{Path.Combine(_directory, "other.key")}' does not match the certificate in '{Path.Combine(_directory, "site.pem")}'", check.StdErr);
    }

    [Fact]
    public void Check_ExpiredAndMissingCertificates_FailNamingEachFile()
    {
        var now = DateTimeOffset.UtcNow;
        _ca.Issue(["localhost"], now.AddDays(-30), now.AddDays(-1)).Write(_directory, "expired");
        string config = ProxyConfigFile.Write(_directory, $"tls_port = {UnusedPort.Find()}", "tls_certificate = expired.pem", "tls_key = expired.key", "targets = 127.0.0.1:9",
            "[site:shop]", "hosts = shop.test", "targets = 127.0.0.1:9", "tls_certificate = missing.pem", "tls_key = missing.key");

        using var check = ProxyProcess.Run("--check", "--config", config);

        Assert.Equal(2, check.ExitCode);
        Assert.Contains($"tls_certificate: '{Path.Combine(_directory, "expired.pem")}' expired on ", check.StdErr);
        Assert.Contains($"[site:shop] tls_certificate: '{Path.Combine(_directory, "missing.pem")}' is missing", check.StdErr);
    }

    [Fact]
    public void Start_CertificateMissing_ExitsWith2NamingTheFile()
    {
        string config = ProxyConfigFile.Write(_directory, $"tls_port = {UnusedPort.Find()}", "tls_certificate = none.pem", "tls_key = none.key", "targets = 127.0.0.1:9");

        using var run = ProxyProcess.Run("--config", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"tls_certificate: '{Path.Combine(_directory, "none.pem")}' is missing", run.StdErr);
    }

    private static IEnumerable<string> SubjectNames(TlsClient client) =>
        client.ServerCertificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames());
}
