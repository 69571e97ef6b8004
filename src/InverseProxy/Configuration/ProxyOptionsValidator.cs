using System.Net;
using InverseProxy.LoadTest;

namespace InverseProxy.Configuration;

/// <summary>
/// The one place that decides whether a <see cref="ProxyOptions"/> is usable. Returns every problem, one line each,
/// naming the key, its value and what was expected. Keys named in <c>unparsed</c> failed to parse and are skipped so
/// their default does not draw a second, misleading error.
/// </summary>
internal static class ProxyOptionsValidator
{
    /// <summary>Socket timeouts and timers take whole milliseconds in an int: about 24.8 days.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromDays(24);

    /// <summary>Lifetimes are added to timestamps; ten years keeps that far from overflow and is longer than any use.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    public static IReadOnlyList<string> Validate(ProxyOptions options, IReadOnlySet<string>? unparsed = null)
    {
        var check = new OptionChecker(options, unparsed ?? new HashSet<string>());
        CheckListener(check, options);
        CheckLimits(check, options);
        CheckUpstream(check, options);
        CheckCache(check, options);
        CheckLogging(check, options);
        CheckTls(check, options);
        PolicyValidator.Check(check, options);
        CompressionValidator.Check(check, options);
        SharedCacheValidator.Check(check, options);
        foreach (var site in options.Sites)
        {
            SiteValidator.Check(check.Errors, site, unparsed ?? new HashSet<string>());
        }
        SiteValidator.CheckOverlaps(check.Errors, options.Sites);
        return check.Errors;
    }

    private static void CheckListener(OptionChecker check, ProxyOptions o)
    {
        check.That(o.Port is >= 0 and <= 65535, "a port number 0-65535 (0 = any free port)", "port");
        check.That(o.MaxConnections is >= 1 and <= 1_000_000, "between 1 and 1000000", "max_connections");
        check.That(o.SpareThreads >= 0 && o.SpareThreads <= o.MaxConnections, "between 0 and max_connections", "spare_threads", "max_connections");
        check.Timer(o.ConnectionTimeout, "connection_timeout", MaxTimer, allowZero: false);
        check.Timer(o.SendTimeout, "send_timeout", MaxTimer, allowZero: true);
        check.Timer(o.ShutdownTimeout, "shutdown_timeout", MaxTimer, allowZero: true);
        check.That(o.AdminPort is >= 0 and <= 65535, "a port number 0-65535 (0 = off)", "admin_port");
        check.That(o.AdminPort == 0 || o.Port == 0 || o.AdminPort != o.Port, "different from port", "admin_port", "port");
        check.That(o.AdminToken.All(c => c is > ' ' and < '\x7f'), "printable ASCII without spaces", "admin_token");
        check.That(o.AdminPort == 0 || o.AdminToken.Length > 0 || System.Net.IPAddress.IsLoopback(o.AdminBindAddress),
            "set when admin_bind_address is not loopback (PURGE must not be open to the network)", "admin_token", "admin_bind_address");
        check.That(o.AdminLoadTestConnections is >= 1 and <= LoadTestArguments.MaxConnections, "between 1 and 1000", "admin_loadtest_connections");
        check.That(o.AdminLoadTestDuration >= TimeSpan.FromSeconds(1) && o.AdminLoadTestDuration <= LoadTestArguments.MaxDuration,
            "between 1s and 10m", "admin_loadtest_duration");
    }

    private static void CheckLimits(OptionChecker check, ProxyOptions o)
    {
        check.That(o.MaxHeaderBytes is >= 1024 and <= 1024 * 1024, "between 1KB and 1MB", "max_header_bytes");
        check.That(o.MaxRequestLineBytes >= 256, "at least 256", "max_request_line");
        check.That(o.MaxRequestLineBytes <= o.MaxHeaderBytes, "at most max_header_bytes", "max_request_line", "max_header_bytes");
        check.That(o.MaxHeaderCount is >= 1 and <= 10_000, "between 1 and 10000", "max_header_count");
        check.That(o.MaxRequestBodyBytes >= 0, "0 (unlimited) or more", "max_body_size");
        check.That(o.RequestBufferSize is >= 0 and <= 16 * 1024 * 1024, "between 0 (stream every body) and 16MB", "request_buffer_size");
        check.That(o.MinBodyRate is >= 0 and <= 1024 * 1024 * 1024, "between 0 (off) and 1073741824 bytes/second", "min_body_rate");
        check.Timer(o.MinBodyRateGrace, "min_body_rate_grace", MaxTimer, allowZero: true);
    }

    private static void CheckUpstream(OptionChecker check, ProxyOptions o)
    {
        // With sites, top-level targets are optional: a Host no site claims then gets 421. A forward proxy needs none.
        check.That(o.Targets.Count > 0 || o.Sites.Count > 0 || o.ForwardProxy || o.Connect, "at least one host:port (or a [site:NAME] section)", "targets");
        CheckTargetList(check, o.Targets, "targets");
        check.That(IsValidUpstreamHost(o.UpstreamHost), "a host or host:port without spaces or control characters", "upstream_host");
        check.Timer(o.UpstreamConnectTimeout, "upstream_connect_timeout", MaxTimer, allowZero: false);
        check.Timer(o.UpstreamReadTimeout, "upstream_read_timeout", MaxTimer, allowZero: false);
        check.That(o.UpstreamMaxIdlePerTarget is >= 0 and <= 100_000, "between 0 and 100000", "upstream_max_idle");
        check.Timer(o.UpstreamIdleTimeout, "upstream_idle_timeout", MaxTimer, allowZero: true);
        check.Timer(o.UpstreamHoldDown, "upstream_hold_down", MaxTimer, allowZero: true);
        check.That(o.MaxDynamicTargets is >= 1 and <= 1_000_000, "between 1 and 1000000", "max_dynamic_targets");
        check.Timer(o.TunnelIdleTimeout, "tunnel_idle_timeout", MaxTimer, allowZero: false);
        check.That(!o.Connect || o.ConnectPorts.Count > 0, "at least one port when connect is on", "connect_ports");
        check.That(o.ProxyAuthRealm.Length > 0 && o.ProxyAuthRealm.All(c => c is >= ' ' and <= '~' and not '"' and not '\\'), "printable ASCII without quotes or backslashes", "proxy_auth_realm");
        check.That(!(o.Connect || o.ForwardProxy) || !o.ForwardAllow.IsEmpty, "at least one entry (public, a CIDR or a host suffix) when connect or forward_proxy is on", "forward_allow");
    }

    /// <summary>Ports in range and no target twice; <paramref name="key"/> names the list in the messages.</summary>
    internal static void CheckTargetList(OptionChecker check, List<DnsEndPoint> targets, string key)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var text = EndpointParsers.FormatTarget(target);
            check.Item(target.Port is >= 1 and <= 65535, key, text, EndpointParsers.TargetExpectation);
            // Reported at the second occurrence only, so a target listed three times gives one line.
            var earlier = targets.Take(i).Count(t => EndpointParsers.SameTarget(t, target));
            check.Item(earlier != 1, key, text, "is listed more than once");
        }
    }

    internal static bool IsValidUpstreamHost(string host) =>
        host.All(c => c is > ' ' and < '\x7f' and not ('/' or '?' or '#' or '@' or ','));

    internal static void CheckCacheLifetimes(OptionChecker check, ProxyOptions o)
    {
        check.That(o.MaxEntrySize > 0, "more than 0", "max_entry_size");
        check.That(o.CacheSize == 0 || o.MaxEntrySize <= o.CacheSize, "at most cache_size", "max_entry_size", "cache_size");
        check.That(o.MaxCaptureMemory > 0, "more than 0", "max_capture_memory");
        check.Timer(o.Ttl, "ttl", MaxLifetime, allowZero: true);
        check.Timer(o.MaxTtl, "max_ttl", MaxLifetime, allowZero: true);
        check.That(o.MaxTtl >= o.Ttl, "at least ttl", "max_ttl", "ttl");
    }

    private static void CheckCache(OptionChecker check, ProxyOptions o)
    {
        check.That(o.CacheSize >= 0, "0 (off) or more", "cache_size");
        CheckCacheLifetimes(check, o);
        check.Timer(o.UnitTime, "unit_time", MaxTimer, allowZero: false);
        check.Path(o.PathToPersistence, "path_to_persistence");
        check.That(o.CorruptKeep is >= 0 and <= 1000, "between 0 and 1000", "corrupt_keep");
    }

    private static void CheckTls(OptionChecker check, ProxyOptions o)
    {
        check.That(o.TlsPort is >= 0 and <= 65535, "a port number 0-65535 (0 = off)", "tls_port");
        check.That(o.TlsPort == 0 || o.Port == 0 || o.TlsPort != o.Port, "different from port", "tls_port", "port");
        check.That(o.TlsPort == 0 || o.AdminPort == 0 || o.TlsPort != o.AdminPort, "different from admin_port", "tls_port", "admin_port");
        check.That(o.TlsPort == 0 || o.TlsCertificate.Length > 0, "a PEM certificate file when tls_port is set", "tls_certificate");
        check.That(o.TlsPort == 0 || o.TlsKey.Length > 0, "a PEM private key file when tls_port is set", "tls_key");
        check.That((o.TlsCertificate.Length == 0) == (o.TlsKey.Length == 0), "set together with tls_certificate", "tls_key", "tls_certificate");
        check.That(o.TlsProtocols != System.Security.Authentication.SslProtocols.None, "at least one of TLSv1.2, TLSv1.3", "tls_protocols");
        check.Timer(o.TlsHandshakeTimeout, "tls_handshake_timeout", MaxTimer, allowZero: false);
        check.That(!o.RedirectToHttps || o.TlsPort != 0, "off unless tls_port is set", "redirect_to_https", "tls_port");
    }

    private static void CheckLogging(OptionChecker check, ProxyOptions o)
    {
        check.Path(o.PathToLog, "path_to_log");
        check.That(Enum.IsDefined(o.LogLevel), "one of " + string.Join(", ", Enum.GetNames<Microsoft.Extensions.Logging.LogLevel>()), "log_level");
        check.That(OptionKeys.AccessLogFormats.Contains(o.AccessLogFormat), "one of " + string.Join(", ", OptionKeys.AccessLogFormats), "access_log_format");
        check.That(o.LogMaxSize >= 0, "0 (never rotate) or more", "log_max_size");
        check.That(o.LogKeep is >= 0 and <= 1000, "between 0 and 1000", "log_keep");
    }
}
