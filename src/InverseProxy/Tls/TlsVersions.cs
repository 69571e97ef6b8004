using System.Security.Authentication;

namespace InverseProxy.Tls;

/// <summary>The names <c>tls_protocols</c> takes, as nginx's ssl_protocols writes them. TLS 1.0 and 1.1 are not among them (RFC 8996).</summary>
internal static class TlsVersions
{
    public const string Expectation = "must be TLSv1.2 or TLSv1.3 (TLS 1.0 and 1.1 are deprecated by RFC 8996)";

    private static readonly (string Name, SslProtocols Version)[] s_names =
    [
        ("TLSv1.2", SslProtocols.Tls12),
        ("TLSv1.3", SslProtocols.Tls13),
    ];

    public static bool TryParse(string text, out SslProtocols version)
    {
        foreach (var (name, value) in s_names)
        {
            if (name.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                version = value;
                return true;
            }
        }
        version = SslProtocols.None;
        return false;
    }

    /// <summary>"TLSv1.2, TLSv1.3": the versions set, in the form <see cref="TryParse"/> reads back.</summary>
    public static string Format(SslProtocols versions) =>
        string.Join(", ", s_names.Where(n => (versions & n.Version) != 0).Select(n => n.Name));

    /// <summary>The negotiated version as the access log and stats show it: "TLSv1.3".</summary>
    public static string Name(SslProtocols version) => version switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => version.ToString(),
    };
}
