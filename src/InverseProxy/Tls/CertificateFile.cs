using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using InverseProxy.Configuration;

namespace InverseProxy.Tls;

/// <summary>What is wrong with a certificate and key pair, named so an operator knows which file to fix.</summary>
internal enum CertificateProblem
{
    None,
    CertificateMissing,
    KeyMissing,
    NoCertificate,
    NoKey,
    KeyMismatch,
    Expired,
    NotYetValid,
}

/// <summary>A pair loaded: the context handshakes use (the leaf with its key, and its chain), or what is wrong.</summary>
internal sealed record CertificateLoad(SslStreamCertificateContext? Context, X509Certificate2? Leaf, CertificateProblem Problem, string? Error)
{
    public bool Succeeded => Context is not null;
}

/// <summary>
/// Loads <c>tls_certificate</c> (PEM: the server certificate first, then its chain) and <c>tls_key</c> (PEM, not
/// encrypted). Refused: a missing file, a file holding no certificate or no key, a key that is not the
/// certificate's, a certificate outside its validity period. Never throws for a bad file.
/// </summary>
internal static class CertificateFile
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <param name="qualifier">Put before the key names in the error: "" or "[site:api] ".</param>
    public static CertificateLoad Load(string certificatePath, string keyPath, DateTimeOffset now, string qualifier = "")
    {
        string certificateKey = qualifier + "tls_certificate";
        string keyKey = qualifier + "tls_key";
        if (!File.Exists(certificatePath))
        {
            return Fail(CertificateProblem.CertificateMissing, $"{certificateKey}: '{Show(certificatePath)}' is missing");
        }
        if (!File.Exists(keyPath))
        {
            return Fail(CertificateProblem.KeyMissing, $"{keyKey}: '{Show(keyPath)}' is missing");
        }
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(certificatePath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return Fail(CertificateProblem.NoCertificate, $"{certificateKey}: '{Show(certificatePath)}' holds no readable PEM certificate ({ConfigText.Escape(e.Message)})");
        }
        if (chain.Count == 0)
        {
            return Fail(CertificateProblem.NoCertificate, $"{certificateKey}: '{Show(certificatePath)}' holds no PEM certificate");
        }
        var leaf = chain[0];
        if (now.UtcDateTime > leaf.NotAfter.ToUniversalTime())
        {
            return Fail(CertificateProblem.Expired, $"{certificateKey}: '{Show(certificatePath)}' expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        if (now.UtcDateTime < leaf.NotBefore.ToUniversalTime())
        {
            return Fail(CertificateProblem.NotYetValid, $"{certificateKey}: '{Show(certificatePath)}' is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }
        var withKey = AttachKey(leaf, keyPath, keyKey, certificatePath, out var failure);
        if (withKey is null)
        {
            return failure!;
        }
        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }
        // offline: the chain is the one the file gives; nothing is fetched while loading.
        var context = SslStreamCertificateContext.Create(withKey, intermediates, offline: true);
        return new CertificateLoad(context, withKey, CertificateProblem.None, null);
    }

    private static X509Certificate2? AttachKey(X509Certificate2 leaf, string keyPath, string keyKey, string certificatePath, out CertificateLoad? failure)
    {
        failure = null;
        AsymmetricAlgorithm? key = null;
        try
        {
            string pem = File.ReadAllText(keyPath);
            key = leaf.PublicKey.Oid.Value switch
            {
                RsaOid => RSA.Create(),
                EcOid => ECDsa.Create(),
                _ => null,
            };
            if (key is null)
            {
                failure = Fail(CertificateProblem.NoCertificate, $"{keyKey}: the certificate in '{Show(certificatePath)}' has a {leaf.PublicKey.Oid.FriendlyName} key; RSA or ECDSA expected");
                return null;
            }
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            key?.Dispose();
            failure = Fail(CertificateProblem.NoKey, $"{keyKey}: '{Show(keyPath)}' holds no unencrypted PEM private key of the certificate's type ({ConfigText.Escape(e.Message)})");
            return null;
        }
        using (key)
        {
            try
            {
                return key is RSA rsa ? leaf.CopyWithPrivateKey(rsa) : leaf.CopyWithPrivateKey((ECDsa)key);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                failure = Fail(CertificateProblem.KeyMismatch, $"{keyKey}: '{Show(keyPath)}' does not match the certificate in '{Show(certificatePath)}'");
                return null;
            }
        }
    }

    private static CertificateLoad Fail(CertificateProblem problem, string error) => new(null, null, problem, error);

    private static string Show(string path) => ConfigText.Escape(path);
}
