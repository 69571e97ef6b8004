using InverseProxy.Configuration;

namespace InverseProxy.Tls;

/// <summary>
/// <c>--check</c>'s look at the certificate files: each pair is loaded as start-up would load it, so a missing file,
/// a key that is not the certificate's or an expired certificate fails the check rather than the start.
/// </summary>
internal static class CertificateCheck
{
    /// <summary>The loaded result unchanged when it failed or names no certificate or every one loads; else a failed result naming each file.</summary>
    public static ConfigLoadResult Check(ConfigLoadResult loaded, DateTimeOffset now)
    {
        if (loaded.Options is not { } options || (options.TlsCertificate.Length == 0 && !options.Sites.Any(s => s.KeysSet.Contains("tls_certificate"))))
        {
            return loaded;
        }
        var errors = CertificateStore.Check(options, now);
        if (errors.Count == 0)
        {
            return loaded;
        }
        return new ConfigLoadResult { Errors = errors, ConfigPath = loaded.ConfigPath, CheckOnly = loaded.CheckOnly, Demo = loaded.Demo };
    }
}
