using System.Net.Security;
using InverseProxy.Configuration;
using InverseProxy.Routing;
using InverseProxy.Tests.TestSupport;
using InverseProxy.Tls;

namespace InverseProxy.Tests.Tls;

public sealed class ServerCertificatesTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = PemCertificates.Authority();

    public void Dispose()
    {
        _ca.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("shop.test", "shop", "CN=shop.test")]
    [InlineData("SHOP.test", "shop", "CN=shop.test")]
    [InlineData("www.blog.test", "blog", "CN=blog.test")]
    [InlineData("plain.blog.test", "blog", "CN=blog.test")]
    [InlineData("elsewhere.test", "default", "CN=fallback.test")]
    public void Select_ServerName_TheSiteItRoutesToAndItsCertificate(string serverName, string site, string subject)
    {
        var certificates = Certificates();

        var chosen = certificates.Select(Table(), serverName, out string? chosenSite);

        Assert.Equal(site, chosenSite);
        Assert.Equal(subject, chosen.TargetCertificate.Subject);
    }

    [Fact]
    public void Select_NoServerName_TopLevelCertificateAndNoSite()
    {
        var chosen = Certificates().Select(Table(), null, out string? site);

        Assert.Null(site);
        Assert.Equal("CN=fallback.test", chosen.TargetCertificate.Subject);
    }

    private ServerCertificates Certificates() => new(Context("fallback.test"), new Dictionary<string, SslStreamCertificateContext>
    {
        ["shop"] = Context("shop.test"),
        ["blog"] = Context("blog.test"),
    });

    private SslStreamCertificateContext Context(string name)
    {
        var (certificate, key) = PemCertificates.Write(_directory, name, _ca);
        return CertificateFile.Load(certificate, key, DateTimeOffset.UtcNow).Context!;
    }

    private static SiteTable Table()
    {
        var fallback = Make(Site.DefaultName);
        var shop = Make("shop");
        var blog = Make("blog");
        return new SiteTable([fallback, shop, blog], [(Host("shop.test"), shop), (Host("*.blog.test"), blog)], fallback);
    }

    private static HostPattern Host(string text) => HostPattern.TryParse(text, out var pattern) ? pattern : throw new ArgumentException(text);

    private static Site Make(string name) => new(name, new ProxyOptions(), cache: true, targets: null, dynamic: null, new SiteCounters());
}
