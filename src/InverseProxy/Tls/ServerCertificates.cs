using System.Net.Security;
using InverseProxy.Routing;

namespace InverseProxy.Tls;

/// <summary>
/// The certificates in force: the top level's, and each site's that names its own. Immutable; a reload builds a new
/// set (see <see cref="CertificateStore"/>).
/// </summary>
internal sealed class ServerCertificates
{
    private readonly SslStreamCertificateContext _default;
    private readonly Dictionary<string, SslStreamCertificateContext> _bySite;

    public ServerCertificates(SslStreamCertificateContext fallback, Dictionary<string, SslStreamCertificateContext> bySite)
    {
        _default = fallback;
        _bySite = bySite;
    }

    public SslStreamCertificateContext Default => _default;

    /// <summary>The site named <paramref name="site"/> has its own certificate: that one, or null.</summary>
    public SslStreamCertificateContext? OfSite(string site) => _bySite.GetValueOrDefault(site);

    /// <summary>
    /// The certificate for a handshake asking for <paramref name="serverName"/>: the site it routes to, exact name
    /// first, then wildcard, as requests are routed; that site's own certificate, else the top-level one.
    /// <paramref name="site"/> is the site's name ("" when the name routes to none; null without SNI).
    /// </summary>
    public SslStreamCertificateContext Select(SiteTable sites, string? serverName, out string? site)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            site = null;
            return _default;
        }
        site = sites.Route(serverName.ToLowerInvariant(), out _)?.Name ?? "";
        return _bySite.GetValueOrDefault(site) ?? _default;
    }
}
