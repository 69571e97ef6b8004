using System.Net;
using Microsoft.Extensions.Logging;
using static InverseProxy.Configuration.OptionKinds;

namespace InverseProxy.Configuration;

/// <summary>Every key of proxy.conf in the order the shipped file lists them. Keep in step with <see cref="ProxyOptions"/>.</summary>
internal static class OptionKeys
{
    public static readonly string[] AccessLogFormats = ["text", "combined", "json"];

    public static IReadOnlyList<OptionKey> All { get; } =
    [
        Count("port", "TCP port clients connect to (0 = any free port)", o => o.Port, (o, v) => o.Port = v).Restart(),
        Address("bind_address", "address to listen on (0.0.0.0 = all IPv4, :: = all)", o => o.BindAddress, (o, v) => o.BindAddress = v).Restart(),
        Count("max_connections", "client connections served at once", o => o.MaxConnections, (o, v) => o.MaxConnections = v),
        Count("spare_threads", "connection threads kept parked and ready", o => o.SpareThreads, (o, v) => o.SpareThreads = v).Restart(),
        Duration("connection_timeout", "idle client connection / stalled read kept this long", o => o.ConnectionTimeout, (o, v) => o.ConnectionTimeout = v),
        Duration("send_timeout", "one response must be taken by the client within this (0 = no bound)", o => o.SendTimeout, (o, v) => o.SendTimeout = v),
        Duration("shutdown_timeout", "in-flight requests may run this long after SIGTERM", o => o.ShutdownTimeout, (o, v) => o.ShutdownTimeout = v),
        Count("tls_port", "TCP port of the HTTPS listener, on bind_address (0 = off)", o => o.TlsPort, (o, v) => o.TlsPort = v).Restart(),
        Text("tls_certificate", "PEM file: the certificate, then its chain (relative = to the config file's directory)", o => o.TlsCertificate, (o, v) => o.TlsCertificate = v).Site(),
        Text("tls_key", "PEM file: the private key of tls_certificate (relative = to the config file's directory)", o => o.TlsKey, (o, v) => o.TlsKey = v).Site(),
        TlsProtocols(),
        Duration("tls_handshake_timeout", "a TLS handshake must be done within this of the accept", o => o.TlsHandshakeTimeout, (o, v) => o.TlsHandshakeTimeout = v),
        Flag("redirect_to_https", "answer requests on port with 308 to the same URL over https (PURGE exempt)", o => o.RedirectToHttps, (o, v) => o.RedirectToHttps = v),
        SmallSize("max_request_line", "bytes in the request line (beyond: 414)", o => o.MaxRequestLineBytes, (o, v) => o.MaxRequestLineBytes = v),
        SmallSize("max_header_bytes", "bytes in the whole request head (beyond: 431)", o => o.MaxHeaderBytes, (o, v) => o.MaxHeaderBytes = v),
        Count("max_header_count", "header fields in one head (beyond: 431)", o => o.MaxHeaderCount, (o, v) => o.MaxHeaderCount = v),
        Size("max_body_size", "bytes in one request body (beyond: 413; 0 = unlimited)", o => o.MaxRequestBodyBytes, (o, v) => o.MaxRequestBodyBytes = v),
        Size("request_buffer_size", "request bodies up to this size are read and checked whole before forwarding", o => o.RequestBufferSize, (o, v) => o.RequestBufferSize = v),
        Count("min_body_rate", "bytes/second a request body must average after the grace (below: 408; 0 = off)", o => o.MinBodyRate, (o, v) => o.MinBodyRate = v),
        Duration("min_body_rate_grace", "a request body is not held to min_body_rate before this", o => o.MinBodyRateGrace, (o, v) => o.MinBodyRateGrace = v),
        PolicyKinds.Words("deny_paths", "path globs answered deny_status, comma-separated (* within a segment, ** across)", o => o.DenyPaths, (o, v) => o.DenyPaths = v).Site(),
        PolicyKinds.Words("deny_methods", "request methods answered deny_status, comma-separated", o => o.DenyMethods, (o, v) => o.DenyMethods = v).Site(),
        PolicyKinds.Networks("allow_clients", "client CIDRs allowed (empty = all); others are answered deny_status", o => o.AllowClients, (o, v) => o.AllowClients = v).Site(),
        PolicyKinds.Networks("deny_clients", "client CIDRs answered deny_status, comma-separated", o => o.DenyClients, (o, v) => o.DenyClients = v).Site(),
        Text("deny_user_agents", "a .NET regex; a matching User-Agent is answered deny_status (empty = none)", o => o.DenyUserAgents, (o, v) => o.DenyUserAgents = v).Site(),
        Text("deny_hosts_file", "domains, one a line (hosts-file lines accepted), denied with their subdomains", o => o.DenyHostsFile, (o, v) => o.DenyHostsFile = v).Site(),
        Count("deny_status", "the status of a denied request: 403 or 404", o => o.DenyStatus, (o, v) => o.DenyStatus = v).Site(),
        PolicyKinds.Rate("rate_limit", "requests per client address, like 100/s or 600/m (off = none); beyond: 429", o => o.RateLimit, (o, v) => o.RateLimit = v).Site(),
        Count("rate_limit_burst", "requests a client may make at once (0 = the count of rate_limit)", o => o.RateLimitBurst, (o, v) => o.RateLimitBurst = v).Site(),
        Count("rate_limit_clients", "client addresses tracked per site; past it the least recently seen is dropped", o => o.RateLimitClients, (o, v) => o.RateLimitClients = v),
        PolicyKinds.Networks("trusted_proxies", "CIDRs of proxies whose X-Forwarded-For names the client, comma-separated", o => o.TrustedProxies, (o, v) => o.TrustedProxies = v),
        Flag("compression", "gzip or br for compressible responses to clients that accept them", o => o.Compression, (o, v) => o.Compression = v).Site(),
        PolicyKinds.Words("compress_types", "media types compressed, comma-separated (type/* = every subtype)", o => o.CompressTypes, (o, v) => o.CompressTypes = v).Site(),
        Size("compress_min_size", "responses declaring fewer bytes are not compressed", o => o.CompressMinSize, (o, v) => o.CompressMinSize = v).Site(),
        Targets().Site(),
        Text("upstream_host", "Host header sent to targets (empty = the client's)", o => o.UpstreamHost, (o, v) => o.UpstreamHost = v).Site(),
        Duration("upstream_connect_timeout", "TCP connect to a target", o => o.UpstreamConnectTimeout, (o, v) => o.UpstreamConnectTimeout = v),
        Duration("upstream_read_timeout", "wait for a target's response (beyond: 504)", o => o.UpstreamReadTimeout, (o, v) => o.UpstreamReadTimeout = v),
        Count("upstream_max_idle", "idle pooled connections kept per target", o => o.UpstreamMaxIdlePerTarget, (o, v) => o.UpstreamMaxIdlePerTarget = v),
        Duration("upstream_idle_timeout", "pooled connection idle longer is closed", o => o.UpstreamIdleTimeout, (o, v) => o.UpstreamIdleTimeout = v),
        Duration("upstream_hold_down", "a failing target is skipped this long", o => o.UpstreamHoldDown, (o, v) => o.UpstreamHoldDown = v),
        Count("max_dynamic_targets", "targets made from target_template kept at once, over all sites", o => o.MaxDynamicTargets, (o, v) => o.MaxDynamicTargets = v),
        Size("cache_size", "bytes the cache may hold (0 = cache off)", o => o.CacheSize, (o, v) => o.CacheSize = v).Restart(),
        Size("max_entry_size", "largest single response stored", o => o.MaxEntrySize, (o, v) => o.MaxEntrySize = v).Site(),
        Size("max_capture_memory", "bytes responses being stored may hold at once", o => o.MaxCaptureMemory, (o, v) => o.MaxCaptureMemory = v),
        Duration("ttl", "lifetime of a cacheable response stating none", o => o.Ttl, (o, v) => o.Ttl = v).Site(),
        Flag("cache_unmarked", "store responses stating no freshness, for ttl", o => o.CacheUnmarked, (o, v) => o.CacheUnmarked = v).Site(),
        Duration("max_ttl", "ceiling on every stored lifetime", o => o.MaxTtl, (o, v) => o.MaxTtl = v).Site(),
        Flag("cache_set_cookie", "store responses carrying Set-Cookie", o => o.CacheSetCookie, (o, v) => o.CacheSetCookie = v),
        PurgeAllowed(),
        Duration("unit_time", "how often the cache is written to path_to_persistence", o => o.UnitTime, (o, v) => o.UnitTime = v).Restart(),
        Text("path_to_persistence", "the cache file (relative = to the config file's directory)", o => o.PathToPersistence, (o, v) => o.PathToPersistence = v).Restart(),
        Count("corrupt_keep", "damaged cache files kept beside it (cache.bin.corrupt-*)", o => o.CorruptKeep, (o, v) => o.CorruptKeep = v).Restart(),
        Text("path_to_log", "the log file (relative = to the config file's directory)", o => o.PathToLog, (o, v) => o.PathToLog = v).Restart(),
        Choice("log_level", "least severe level logged", Enum.GetNames<LogLevel>(), o => o.LogLevel.ToString(), (o, v) => o.LogLevel = Enum.Parse<LogLevel>(v)).Restart(),
        Flag("access_log", "one line per request", o => o.AccessLog, (o, v) => o.AccessLog = v).Restart(),
        Choice("access_log_format", "text, combined (as nginx) or json", AccessLogFormats, o => o.AccessLogFormat, (o, v) => o.AccessLogFormat = v).Restart(),
        Size("log_max_size", "rotate the log past this size (0 = never)", o => o.LogMaxSize, (o, v) => o.LogMaxSize = v).Restart(),
        Count("log_keep", "rotated log files kept", o => o.LogKeep, (o, v) => o.LogKeep = v).Restart(),
        Count("admin_port", "port of the stats/metrics listener (0 = off)", o => o.AdminPort, (o, v) => o.AdminPort = v).Restart(),
        Address("admin_bind_address", "address of the admin listener", o => o.AdminBindAddress, (o, v) => o.AdminBindAddress = v).Restart(),
        // Rendered hidden: --check, the settings dump and error messages must not print the secret.
        Text("admin_token", "bearer token for PURGE on the admin port (empty = none)", o => o.AdminToken.Length == 0 ? "" : "(hidden)", (o, v) => o.AdminToken = v),
        Count("admin_loadtest_connections", "most connections a load test started from the dashboard may open", o => o.AdminLoadTestConnections, (o, v) => o.AdminLoadTestConnections = v),
        Duration("admin_loadtest_duration", "longest a load test started from the dashboard may run", o => o.AdminLoadTestDuration, (o, v) => o.AdminLoadTestDuration = v),
        Flag("websocket", "forward WebSocket upgrades and tunnel the connection after 101", o => o.WebSocket, (o, v) => o.WebSocket = v).Site(),
        Duration("tunnel_idle_timeout", "a tunnel with no byte either way this long is closed", o => o.TunnelIdleTimeout, (o, v) => o.TunnelIdleTimeout = v),
        Flag("connect", "answer CONNECT with a tunnel to an allowed destination", o => o.Connect, (o, v) => o.Connect = v),
        ConnectPorts(),
        Flag("forward_proxy", "absolute-form requests no site claims go to the host they name", o => o.ForwardProxy, (o, v) => o.ForwardProxy = v),
        ForwardAllow(),
        Text("proxy_auth_users", "file of user:hash lines; when set every request needs Proxy-Authorization (relative = to the config file's directory)", o => o.ProxyAuthUsers, (o, v) => o.ProxyAuthUsers = v).Site(),
        Text("proxy_auth_realm", "realm named in the 407 challenge", o => o.ProxyAuthRealm, (o, v) => o.ProxyAuthRealm = v).Site(),
        Text("redis", "Redis servers for the shared second-level cache, host:port comma-separated (empty = off)", o => o.Redis, (o, v) => o.Redis = v).Restart(),
        // Rendered hidden, as admin_token.
        Text("redis_password", "password for redis (empty = none)", o => o.RedisPassword.Length == 0 ? "" : "(hidden)", (o, v) => o.RedisPassword = v).Restart(),
        Count("redis_db", "Redis database number", o => o.RedisDb, (o, v) => o.RedisDb = v).Restart(),
        Duration("redis_timeout", "longest a request waits for Redis (beyond: a miss)", o => o.RedisTimeout, (o, v) => o.RedisTimeout = v).Restart(),
        Text("redis_prefix", "prefix of every Redis key and of the invalidation channel", o => o.RedisPrefix, (o, v) => o.RedisPrefix = v).Restart(),
    ];

    public static IEnumerable<string> Names => All.Select(k => k.Name);

    public static OptionKey? Find(string name)
    {
        foreach (var key in All)
        {
            if (key.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    private static OptionKey Targets()
    {
        return new("targets", "origins as host:port, comma-separated, used round-robin",
            o => string.Join(", ", o.Targets.Select(EndpointParsers.FormatTarget)),
            (o, raw, f) =>
            {
                var parsed = new List<DnsEndPoint>();
                foreach (var item in EndpointParsers.SplitList(raw))
                {
                    if (EndpointParsers.TryParseTarget(item, out var endPoint))
                    {
                        parsed.Add(endPoint);
                    }
                    else
                    {
                        f.InvalidItem(item, EndpointParsers.TargetExpectation);
                    }
                }

                o.Targets = parsed;
            });
    }

    private static OptionKey TlsProtocols()
    {
        return new("tls_protocols", "TLS versions accepted on tls_port: TLSv1.2, TLSv1.3, comma-separated",
            o => Tls.TlsVersions.Format(o.TlsProtocols),
            (o, raw, f) =>
            {
                var parsed = System.Security.Authentication.SslProtocols.None;
                foreach (var item in EndpointParsers.SplitList(raw))
                {
                    if (Tls.TlsVersions.TryParse(item, out var version))
                    {
                        parsed |= version;
                    }
                    else
                    {
                        f.InvalidItem(item, Tls.TlsVersions.Expectation);
                    }
                }

                o.TlsProtocols = parsed;
            });
    }

    private static OptionKey PurgeAllowed()
    {
        return new("purge_allowed", "client addresses allowed to PURGE, comma-separated (empty = none)",
            o => string.Join(", ", o.PurgeAllowed),
            (o, raw, f) =>
            {
                var parsed = new List<IPAddress>();
                foreach (var item in EndpointParsers.SplitList(raw))
                {
                    if (item.Equals("localhost", StringComparison.OrdinalIgnoreCase))
                    {
                        parsed.Add(IPAddress.Loopback);
                        parsed.Add(IPAddress.IPv6Loopback);
                    }
                    else if (EndpointParsers.TryParseAddress(item, out var address))
                    {
                        parsed.Add(address);
                    }
                    else
                    {
                        f.InvalidItem(item, "must be an IP address like 127.0.0.1 or ::1");
                    }
                }

                o.PurgeAllowed = parsed;
            });
    }

    private static OptionKey ConnectPorts()
    {
        return new("connect_ports", "ports CONNECT may reach, comma-separated",
            o => string.Join(", ", o.ConnectPorts),
            (o, raw, f) =>
            {
                var parsed = new List<int>();
                foreach (var item in EndpointParsers.SplitList(raw))
                {
                    if (int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535)
                    {
                        parsed.Add(port);
                    }
                    else
                    {
                        f.InvalidItem(item, "must be a port number from 1 to 65535");
                    }
                }

                o.ConnectPorts = parsed;
            });
    }

    private static OptionKey ForwardAllow()
    {
        return new("forward_allow", "destinations the forward proxy and CONNECT may reach: public, CIDRs, host suffixes",
            o => o.ForwardAllow.ToString(),
            (o, raw, f) =>
            {
                var invalid = new List<string>();
                o.ForwardAllow = Routing.TargetAllowList.Parse(EndpointParsers.SplitList(raw), invalid);
                foreach (string item in invalid)
                {
                    f.InvalidItem(item, "must be public, a CIDR like 10.0.0.0/8 or a host name suffix like example.com");
                }
            });
    }
}
