using System.Net;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class TlsConfigTests
{
    [Fact]
    public void Validate_TlsPortWithoutCertificate_NamesBothFiles()
    {
        var options = Valid();
        options.TlsPort = 8443;

        Assert.Equal(
            ["tls_certificate must be a PEM certificate file when tls_port is set (was '')", "tls_key must be a PEM private key file when tls_port is set (was '')"],
            ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_TlsPortSameAsPort_Refused()
    {
        var options = WithTls();
        options.TlsPort = options.Port;

        Assert.Equal(["tls_port must be different from port (was '8080')"], ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_RedirectWithoutTlsPort_Refused()
    {
        var options = Valid();
        options.RedirectToHttps = true;

        Assert.Equal(["redirect_to_https must be off unless tls_port is set (was 'true')"], ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Load_TlsProtocolsNamingTls11_RefusedWithTheItem()
    {
        using var config = new TempConfig(TempConfig.Targets + "tls_protocols = TLSv1.1, TLSv1.3\n");

        var result = config.Load();

        Assert.Contains("tls_protocols: 'TLSv1.1' must be TLSv1.2 or TLSv1.3 (TLS 1.0 and 1.1 are deprecated by RFC 8996)", result.Errors);
    }

    [Fact]
    public void Load_RelativeCertificatePaths_ResolvedAgainstTheConfigFolder()
    {
        using var config = new TempConfig(TempConfig.Targets + "tls_certificate = tls/site.pem\ntls_key = tls/site.key\n"
            + "[site:shop]\nhosts = shop.test\ntargets = 127.0.0.1:9002\ntls_certificate = shop.pem\ntls_key = shop.key\n");

        var options = config.Load().Options!;

        Assert.Equal(Path.Combine(config.Directory, "tls", "site.pem"), options.TlsCertificate);
        Assert.Equal(Path.Combine(config.Directory, "shop.key"), options.Sites.Single().Settings.TlsKey);
    }

    [Fact]
    public void Load_SiteWithCertificateButNoKey_Refused()
    {
        using var config = new TempConfig(TempConfig.Targets + "[site:shop]\nhosts = shop.test\ntargets = 127.0.0.1:9002\ntls_certificate = shop.pem\n");

        var result = config.Load();

        Assert.Contains("[site:shop] tls_key: must be set in the same section as tls_certificate (a site's certificate and key go together)", result.Errors);
    }

    private static ProxyOptions Valid() => new() { Targets = [new DnsEndPoint("127.0.0.1", 9001)] };

    private static ProxyOptions WithTls()
    {
        var options = Valid();
        options.TlsPort = 8443;
        options.TlsCertificate = "/etc/inverseproxy/site.pem";
        options.TlsKey = "/etc/inverseproxy/site.key";
        return options;
    }
}
