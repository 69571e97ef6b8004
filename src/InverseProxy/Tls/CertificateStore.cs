using System.Net.Security;
using InverseProxy.Configuration;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Tls;

/// <summary>
/// Loads the certificate files proxy.conf names, and loads them again on SIGHUP: new handshakes use the new set,
/// connections already open keep theirs. A pair that fails to load on reload is refused with a log line naming the
/// file and the reason, and the certificate it would have replaced stays in use.
/// </summary>
internal sealed class CertificateStore
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile ServerCertificates _current;

    private CertificateStore(ServerCertificates current, ILogger logger, TimeProvider time)
    {
        _current = current;
        _logger = logger;
        _time = time;
    }

    public ServerCertificates Current => _current;

    /// <summary>Every problem with the certificate files of <paramref name="options"/>, one line each (for --check and start).</summary>
    public static IReadOnlyList<string> Check(ProxyOptions options, DateTimeOffset now)
    {
        var errors = new List<string>();
        foreach (var pair in Pairs(options).DistinctBy(p => (p.Certificate, p.Key)))
        {
            if (CertificateFile.Load(pair.Certificate, pair.Key, now, pair.Qualifier) is { Succeeded: false } failed)
            {
                errors.Add(failed.Error!);
            }
        }
        return errors;
    }

    /// <summary>At start: every certificate must load. Throws <see cref="StartupException"/> naming each one that does not.</summary>
    public static CertificateStore Load(ProxyOptions options, ILogger logger, TimeProvider time)
    {
        var errors = new List<string>();
        var loaded = Build(options, time.GetUtcNow(), previous: null, failed => errors.Add(failed));
        if (errors.Count > 0)
        {
            throw new StartupException(string.Join("; ", errors));
        }
        return new CertificateStore(loaded!, logger, time);
    }

    /// <summary>SIGHUP: reads every certificate file again; one that fails keeps the certificate in use before.</summary>
    public void Reload(ProxyOptions options)
    {
        int refused = 0;
        var next = Build(options, _time.GetUtcNow(), _current, failed =>
        {
            refused++;
            Log.CertificateRefused(_logger, failed);
        });
        _current = next!;
        Log.CertificatesReloaded(_logger, Pairs(options).Count(), refused);
    }

    /// <summary>
    /// The set for <paramref name="options"/>; a pair that fails is reported to <paramref name="refused"/> and
    /// replaced by what <paramref name="previous"/> used for the same site. Null only when the top level fails without a previous set.
    /// </summary>
    private static ServerCertificates? Build(ProxyOptions options, DateTimeOffset now, ServerCertificates? previous, Action<string> refused)
    {
        var loads = new Dictionary<(string, string), CertificateLoad>();
        SslStreamCertificateContext? fallback = null;
        var bySite = new Dictionary<string, SslStreamCertificateContext>(StringComparer.Ordinal);
        foreach (var pair in Pairs(options))
        {
            if (!loads.TryGetValue((pair.Certificate, pair.Key), out var load))
            {
                load = CertificateFile.Load(pair.Certificate, pair.Key, now, pair.Qualifier);
                loads[(pair.Certificate, pair.Key)] = load;
                if (!load.Succeeded)
                {
                    refused(load.Error!);
                }
            }
            var context = load.Context ?? (pair.Site is null ? previous?.Default : previous?.OfSite(pair.Site));
            if (context is null)
            {
                continue;
            }
            if (pair.Site is null)
            {
                fallback = context;
            }
            else
            {
                bySite[pair.Site] = context;
            }
        }
        return fallback is null ? null : new ServerCertificates(fallback, bySite);
    }

    /// <summary>The top-level pair, then each site's own (a site that names neither file uses the top level's).</summary>
    private static IEnumerable<(string? Site, string Qualifier, string Certificate, string Key)> Pairs(ProxyOptions options)
    {
        if (options.TlsCertificate.Length > 0)
        {
            yield return (null, "", options.TlsCertificate, options.TlsKey);
        }
        foreach (var site in options.Sites)
        {
            if (site.KeysSet.Contains("tls_certificate") || site.KeysSet.Contains("tls_key"))
            {
                yield return (site.Name, SiteKeys.Qualified(site.Name, ""), site.Settings.TlsCertificate, site.Settings.TlsKey);
            }
        }
    }
}
