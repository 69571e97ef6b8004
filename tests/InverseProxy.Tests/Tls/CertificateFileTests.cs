using InverseProxy.Tests.TestSupport;
using InverseProxy.Tls;

namespace InverseProxy.Tests.Tls;

public sealed class CertificateFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = PemCertificates.Authority();

    public void Dispose()
    {
        _ca.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Load_CertificateWithChainAndItsKey_LoadsTheLeafWithItsKey()
    {
        var (certificate, key) = PemCertificates.Write(_directory, "site.test", _ca, withChain: true);

        var load = CertificateFile.Load(certificate, key, DateTimeOffset.UtcNow);

        Assert.True(load.Succeeded, load.Error);
        Assert.Equal("CN=site.test", load.Leaf!.Subject);
        Assert.True(load.Leaf.HasPrivateKey);
        Assert.Equal(CertificateProblem.None, load.Problem);
    }

    [Fact]
    public void Load_EcdsaCertificate_Loads()
    {
        var (certificate, key) = PemCertificates.Write(_directory, "ec.test", _ca, ecdsa: true);

        Assert.True(CertificateFile.Load(certificate, key, DateTimeOffset.UtcNow).Succeeded);
    }

    [Fact]
    public void Load_CertificateFileMissing_NamesIt()
    {
        var load = CertificateFile.Load(_directory.Combine("none.pem"), _directory.Combine("none.key"), DateTimeOffset.UtcNow);

        Assert.Equal(CertificateProblem.CertificateMissing, load.Problem);
        Assert.Equal($"tls_certificate: '{_directory.Combine("none.pem")}' is missing", load.Error);
    }

    [Fact]
    public void Load_KeyFileMissing_NamesIt()
    {
        var (certificate, _) = PemCertificates.Write(_directory, "site.test", _ca);

        var load = CertificateFile.Load(certificate, _directory.Combine("none.key"), DateTimeOffset.UtcNow, "[site:shop] ");

        Assert.Equal(CertificateProblem.KeyMissing, load.Problem);
        Assert.Equal($"[site:shop] tls_key: '{_directory.Combine("none.key")}' is missing", load.Error);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_KeyMismatch()
    {
        var (certificate, _) = PemCertificates.Write(_directory, "one.test", _ca);
        var (_, otherKey) = PemCertificates.Write(_directory, "two.test", _ca);

        var load = CertificateFile.Load(certificate, otherKey, DateTimeOffset.UtcNow);

        Assert.Equal(CertificateProblem.KeyMismatch, load.Problem);
        Assert.Equal($"tls_key: '{otherKey}' does not match the certificate in '{certificate}'", load.Error);
    }

    [Fact]
    public void Load_FilesSwapped_NoCertificate()
    {
        var (certificate, key) = PemCertificates.Write(_directory, "site.test", _ca);

        var load = CertificateFile.Load(key, certificate, DateTimeOffset.UtcNow);

        Assert.Equal(CertificateProblem.NoCertificate, load.Problem);
        Assert.StartsWith($"tls_certificate: '{key}' holds no", load.Error);
    }

    [Fact]
    public void Load_KeyFileHoldingACertificate_NoKey()
    {
        var (certificate, _) = PemCertificates.Write(_directory, "site.test", _ca);

        var load = CertificateFile.Load(certificate, certificate, DateTimeOffset.UtcNow);

        Assert.Equal(CertificateProblem.NoKey, load.Problem);
        Assert.StartsWith($"tls_key: '{certificate}' holds no unencrypted PEM private key", load.Error);
    }

    [Fact]
    public void Load_PastNotAfter_Expired()
    {
        var now = DateTimeOffset.UtcNow;
        var (certificate, key) = PemCertificates.Write(_directory, "old.test", _ca, now.AddDays(-20), now.AddDays(-10));

        var load = CertificateFile.Load(certificate, key, now);

        Assert.Equal(CertificateProblem.Expired, load.Problem);
        Assert.StartsWith($"tls_certificate: '{certificate}' expired on ", load.Error);
    }

    [Fact]
    public void Load_BeforeNotBefore_NotYetValid()
    {
        var (certificate, key) = PemCertificates.Write(_directory, "site.test", _ca);

        var load = CertificateFile.Load(certificate, key, DateTimeOffset.UtcNow.AddDays(-5));

        Assert.Equal(CertificateProblem.NotYetValid, load.Problem);
    }
}
