using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace InverseProxy.Tests.TestSupport;

/// <summary>Certificates made in the test and written as PEM: a CA, and server certificates it signs.</summary>
internal static class PemCertificates
{
    /// <summary>A CA certificate with its key, valid from 60 days ago for a year.</summary>
    public static X509Certificate2 Authority(string name = "Unit Test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-60), now.AddYears(1));
    }

    /// <summary>
    /// A server certificate for <paramref name="name"/> signed by <paramref name="issuer"/>; writes NAME.pem (the
    /// certificate, then <paramref name="issuer"/>'s when <paramref name="withChain"/>) and NAME.key. Returns both paths.
    /// </summary>
    public static (string Certificate, string Key) Write(TempDirectory directory, string name, X509Certificate2 issuer,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool withChain = false, bool ecdsa = false)
    {
        using AsymmetricAlgorithm key = ecdsa ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
        var request = key is RSA rsa
            ? new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={name}", (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        // Signed with the CA's RSA key whatever the certificate's own key type.
        using var issuerKey = issuer.GetRSAPrivateKey()!;
        using var certificate = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
            notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        string pem = certificate.ExportCertificatePem() + "\n" + (withChain ? issuer.ExportCertificatePem() + "\n" : "");
        string keyPem = key is RSA r ? r.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
        return (directory.WriteFile(name + ".pem", pem), directory.WriteFile(name + ".key", keyPem));
    }
}
