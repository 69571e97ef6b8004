using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>A server certificate made by <see cref="TestCa"/>, with its private key in PEM.</summary>
internal sealed record IssuedCertificate(X509Certificate2 Certificate, string CertificatePem, string KeyPem)
{
    /// <summary>Writes NAME.pem (the certificate) and NAME.key into <paramref name="directory"/>; returns both paths.</summary>
    public (string Certificate, string Key) Write(string directory, string name)
    {
        string certificate = Path.Combine(directory, name + ".pem");
        string key = Path.Combine(directory, name + ".key");
        File.WriteAllText(certificate, CertificatePem);
        File.WriteAllText(key, KeyPem);
        return (certificate, key);
    }
}

/// <summary>
/// A throwaway certificate authority made in the test (never checked in): it issues server certificates for the
/// names a test asks for, and clients trust it through its PEM file (curl --cacert) or <see cref="Certificate"/>.
/// </summary>
internal sealed class TestCa : IDisposable
{
    private readonly RSA _key;
    private long _serial;

    public TestCa(string name = "InverseProxy Test CA")
    {
        _key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddDays(-60), now.AddYears(1)); // early enough to issue expired certificates
    }

    /// <summary>The CA's own certificate, with its key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the CA certificate as PEM (for curl --cacert); returns its path.</summary>
    public string WritePem(string directory)
    {
        string path = Path.Combine(directory, "ca.pem");
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A server certificate for <paramref name="names"/> (DNS names; the first is also the CN), valid from yesterday unless told.</summary>
    public IssuedCertificate Issue(string[] names, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            alternatives.AddDnsName(name);
        }
        request.CertificateExtensions.Add(alternatives.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        byte[] serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + now.ToUnixTimeMilliseconds());
        using var issued = request.Create(Certificate, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30), serial);
        var certificate = issued.CopyWithPrivateKey(key);
        return new IssuedCertificate(certificate, certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
