using System.Net;

namespace InverseProxy.Configuration;

/// <summary>
/// Every setting of proxy.conf, with the defaults the shipped proxy.conf documents.
/// The INI key of each property is given in its summary; keep the two in step.
/// </summary>
internal sealed class ProxyOptions
{
    // ---- listener -------------------------------------------------------------------------

    /// <summary><c>port</c>: the TCP port clients connect to.</summary>
    public int Port { get; set; } = 8080;

    /// <summary><c>bind_address</c>: the address to listen on (0.0.0.0 = all IPv4, :: = all).</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Any;

    /// <summary><c>max_connections</c>: client connections served at once; beyond it new ones get 503 and close.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// <c>spare_threads</c>: connection threads kept parked and ready, created at start and refilled after a burst.
    /// A connection never waits for a thread to be created while spares remain. The least kept: more follow the
    /// recent peak of connections (see <c>SpareThreadPolicy</c>).
    /// </summary>
    public int SpareThreads { get; set; } = 64;

    /// <summary><c>connection_timeout</c>: how long an idle client connection (or a stalled read) is kept.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>send_timeout</c>: all of one response must be written to the client within this, from its first byte; a
    /// client reading slower has its connection reset (and a target connection it held discarded). Each write also
    /// waits at most <c>connection_timeout</c>. Zero = no bound beyond the per-write one.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>shutdown_timeout</c>: how long in-flight requests may run after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    // ---- request limits ---------------------------------------------------------------------

    /// <summary><c>max_request_line</c>: bytes in the request line; beyond it 414.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary><c>max_header_bytes</c>: bytes in the whole head (request line included); beyond it 431.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary><c>max_header_count</c>: header fields in one head; beyond it 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary><c>max_body_size</c>: bytes in one request body; beyond it 413. 0 = unlimited.</summary>
    public long MaxRequestBodyBytes { get; set; } = 0;

    /// <summary>
    /// <c>request_buffer_size</c>: request bodies up to this size are read, decoded and checked whole before a target
    /// is contacted (a malformed one gets 400 and reaches no target) and can be sent again on a retry. Larger bodies
    /// are streamed. 0 = stream every body.
    /// </summary>
    public long RequestBufferSize { get; set; } = 64 * 1024;

    /// <summary>
    /// <c>min_body_rate</c>: bytes per second a request body must average, counted from its first read, once
    /// <c>min_body_rate_grace</c> has passed; a slower one gets 408 and the connection closes (as Kestrel's
    /// MinRequestBodyDataRate). 0 = off. A client sending nothing at all is closed by <c>connection_timeout</c>.
    /// </summary>
    public int MinBodyRate { get; set; } = 240;

    /// <summary><c>min_body_rate_grace</c>: how long a request body is read before <c>min_body_rate</c> applies.</summary>
    public TimeSpan MinBodyRateGrace { get; set; } = TimeSpan.FromSeconds(5);

    // ---- traffic policy: request filtering (see Proxy/Policy) ----------------------------------------

    /// <summary>
    /// <c>deny_paths</c>: globs on the path (query excluded), case-insensitive: <c>*</c> matches within one segment,
    /// <c>**</c> across segments. A match is answered <c>deny_status</c>.
    /// </summary>
    public List<string> DenyPaths { get; set; } = new();

    /// <summary><c>deny_methods</c>: request methods answered <c>deny_status</c> (methods are case-sensitive, RFC 9110 §9.1).</summary>
    public List<string> DenyMethods { get; set; } = new();

    /// <summary><c>allow_clients</c>: when not empty, only client addresses inside these networks are served.</summary>
    public List<IPNetwork> AllowClients { get; set; } = new();

    /// <summary><c>deny_clients</c>: client addresses inside these networks are answered <c>deny_status</c>.</summary>
    public List<IPNetwork> DenyClients { get; set; } = new();

    /// <summary>
    /// <c>deny_user_agents</c>: a .NET regex, case-insensitive, matched with a time limit; a User-Agent it matches
    /// (or that exhausts the time limit) is answered <c>deny_status</c>. Empty = none.
    /// </summary>
    public string DenyUserAgents { get; set; } = "";

    /// <summary><c>deny_hosts_file</c>: domains, one a line; a request for one of them or a subdomain is answered <c>deny_status</c>.</summary>
    public string DenyHostsFile { get; set; } = "";

    /// <summary><c>deny_status</c>: the status a denied request gets, 403 or 404.</summary>
    public int DenyStatus { get; set; } = 403;

    // ---- traffic policy: rate limiting ---------------------------------------------------------------

    /// <summary><c>rate_limit</c>: requests per client address per second or minute; beyond it 429. Off by default.</summary>
    public Proxy.Policy.RateLimit RateLimit { get; set; } = Proxy.Policy.RateLimit.Off;

    /// <summary><c>rate_limit_burst</c>: requests a client may make at once (the bucket's size); 0 = the count of <c>rate_limit</c>.</summary>
    public int RateLimitBurst { get; set; } = 0;

    /// <summary><c>rate_limit_clients</c>: client addresses tracked per site; past it the least recently seen is dropped.</summary>
    public int RateLimitClients { get; set; } = 100_000;

    /// <summary><c>trusted_proxies</c>: peers whose X-Forwarded-For is believed for the rate limit's client address.</summary>
    public List<IPNetwork> TrustedProxies { get; set; } = new();

    // ---- traffic policy: response compression (see Compression/) -----------------------------------

    /// <summary><c>compression</c>: gzip or br for compressible responses to clients that accept them, stored encoded.</summary>
    public bool Compression { get; set; } = true;

    /// <summary><c>compress_types</c>: media types compressed; <c>type/*</c> matches every subtype.</summary>
    public List<string> CompressTypes { get; set; } =
        ["text/*", "application/json", "application/javascript", "application/xml", "image/svg+xml"];

    /// <summary><c>compress_min_size</c>: a response declaring a smaller Content-Length is sent as it is.</summary>
    public long CompressMinSize { get; set; } = 1024;

    // ---- upstream ---------------------------------------------------------------------------

    /// <summary><c>targets</c>: comma-separated host:port list, served round-robin.</summary>
    public List<DnsEndPoint> Targets { get; set; } = new();

    /// <summary><c>upstream_host</c>: Host header sent to targets; empty = pass the client's Host as sent.</summary>
    public string UpstreamHost { get; set; } = "";

    /// <summary><c>upstream_connect_timeout</c>: TCP connect to a target.</summary>
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>upstream_read_timeout</c>: wait for the target's response head (and between body reads); beyond it 504.</summary>
    public TimeSpan UpstreamReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>upstream_max_idle</c>: idle pooled connections kept per target; as many as clients by default. An idle one
    /// holds only its socket. Measured at 9,000 concurrent pass-through requests: 1024 closed most connections after
    /// each response and reopened them (39,000 connects in 15 s, the origin's accept queue overflowing, 13,500 client
    /// timeouts); 12,000 opened 9,004 and kept them.
    /// </summary>
    public int UpstreamMaxIdlePerTarget { get; set; } = 10_000;

    /// <summary><c>upstream_idle_timeout</c>: a pooled connection idle longer is closed, not reused.</summary>
    public TimeSpan UpstreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>upstream_hold_down</c>: a target that refused or timed out is skipped this long.</summary>
    public TimeSpan UpstreamHoldDown { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>max_dynamic_targets</c>: targets made from a site's <c>target_template</c> kept at once, each with its pool
    /// and health, over all sites; past it the least recently used is closed.
    /// </summary>
    public int MaxDynamicTargets { get; set; } = 10_000;

    /// <summary>The <c>[site:NAME]</c> sections, in file order. Each holds its own copy of the per-site settings.</summary>
    public List<SiteOptions> Sites { get; set; } = new();

    // ---- cache ------------------------------------------------------------------------------

    /// <summary><c>cache_size</c>: memory the cache may hold (see <see cref="Caching.CachedResponse.Size"/>). 0 turns the cache off.</summary>
    public long CacheSize { get; set; } = 64L * 1024 * 1024;

    /// <summary><c>max_entry_size</c>: the largest single response stored.</summary>
    public long MaxEntrySize { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// <c>max_capture_memory</c>: bytes that responses being copied for the cache may hold at once, over all
    /// connections; a copy that would go past it is abandoned (the response is relayed, not stored).
    /// </summary>
    public long MaxCaptureMemory { get; set; } = 16L * 1024 * 1024;

    /// <summary><c>ttl</c>: lifetime given to a cacheable response that states no freshness of its own.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>cache_unmarked</c>: store responses that state no freshness, for <c>ttl</c>. false = RFC 9111 only.</summary>
    public bool CacheUnmarked { get; set; } = true;

    /// <summary><c>max_ttl</c>: a ceiling on every stored lifetime, whatever the response says.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromDays(1);

    /// <summary><c>cache_set_cookie</c>: store responses that carry Set-Cookie (off: they are per-user).</summary>
    public bool CacheSetCookie { get; set; } = false;

    /// <summary><c>purge_allowed</c>: client addresses allowed to send PURGE; empty = PURGE refused.</summary>
    public List<IPAddress> PurgeAllowed { get; set; } = new();

    /// <summary><c>unit_time</c>: how often the cache is written to <c>path_to_persistence</c>.</summary>
    public TimeSpan UnitTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>path_to_persistence</c>: the cache file; its directory is created if missing.</summary>
    public string PathToPersistence { get; set; } = "state/cache.bin";

    /// <summary><c>corrupt_keep</c>: damaged cache files moved aside (<c>cache.bin.corrupt-*</c>) kept; older ones are deleted.</summary>
    public int CorruptKeep { get; set; } = 2;

    // ---- logging and admin --------------------------------------------------------------------

    /// <summary><c>path_to_log</c>: the log file `tail -f` follows; its directory is created if missing.</summary>
    public string PathToLog { get; set; } = "logs/proxy.log";

    /// <summary><c>log_level</c>: Trace, Debug, Information, Warning, Error.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary><c>access_log</c>: on/off switch for the one-line-per-request log.</summary>
    public bool AccessLog { get; set; } = true;

    /// <summary><c>access_log_format</c>: <c>text</c>, <c>combined</c> (as nginx) or <c>json</c>.</summary>
    public string AccessLogFormat { get; set; } = "text";

    /// <summary><c>log_max_size</c>: the log file is rotated past this size. 0 = never.</summary>
    public long LogMaxSize { get; set; } = 100L * 1024 * 1024;

    /// <summary><c>log_keep</c>: rotated log files kept (proxy.log.1 … proxy.log.N).</summary>
    public int LogKeep { get; set; } = 5;

    /// <summary><c>admin_port</c>: port of the stats/metrics listener; 0 = off.</summary>
    public int AdminPort { get; set; } = 0;

    /// <summary><c>admin_bind_address</c>: address of the admin listener (loopback by default).</summary>
    public IPAddress AdminBindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// <c>admin_token</c>: bearer token required on the admin port for requests that change state (PURGE); empty =
    /// none asked. Required when admin_bind_address is not loopback.
    /// </summary>
    public string AdminToken { get; set; } = "";

    /// <summary><c>admin_loadtest_connections</c>: most connections a load test started on the admin port may open (1-1000).</summary>
    public int AdminLoadTestConnections { get; set; } = 50;

    /// <summary><c>admin_loadtest_duration</c>: longest a load test started on the admin port may run (1s-10m).</summary>
    public TimeSpan AdminLoadTestDuration { get; set; } = TimeSpan.FromSeconds(30);

    // ---- shared second-level cache ------------------------------------------------------------

    /// <summary><c>redis</c>: Redis servers (host:port, comma-separated) holding the second-level cache; empty = off.</summary>
    public string Redis { get; set; } = "";

    /// <summary><c>redis_password</c>: AUTH password for <c>redis</c>; empty = none.</summary>
    public string RedisPassword { get; set; } = "";

    /// <summary><c>redis_db</c>: the Redis database number.</summary>
    public int RedisDb { get; set; } = 0;

    /// <summary><c>redis_timeout</c>: the longest a request waits for Redis; beyond, it goes on as a miss.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary><c>redis_prefix</c>: prepended to every Redis key and to the invalidation channel's name.</summary>
    public string RedisPrefix { get; set; } = "inverseproxy:";

    /// <summary>A copy whose settings a site section may then override; lists are shared, never changed in place.</summary>
    public ProxyOptions Clone() => (ProxyOptions)MemberwiseClone();

    // ---- tunnels and forward proxy --------------------------------------------------------------

    /// <summary><c>websocket</c>: a GET asking to upgrade to WebSocket is forwarded with its Upgrade; a 101 makes a tunnel.</summary>
    public bool WebSocket { get; set; } = true;

    /// <summary><c>tunnel_idle_timeout</c>: a tunnel that carries no byte either way this long is closed.</summary>
    public TimeSpan TunnelIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>connect</c>: CONNECT host:port to an allowed destination is answered 200 and tunnelled; off: 405.</summary>
    public bool Connect { get; set; }

    /// <summary><c>connect_ports</c>: the destination ports CONNECT may reach; others get 403.</summary>
    public List<int> ConnectPorts { get; set; } = [443];

    /// <summary>
    /// <c>forward_proxy</c>: an absolute-form request whose authority no [site] section claims goes to that authority
    /// (resolved, pooled and checked against <see cref="ForwardAllow"/>) instead of the default site.
    /// </summary>
    public bool ForwardProxy { get; set; }

    /// <summary>
    /// <c>forward_allow</c>: where the forward proxy and CONNECT may connect, checked on the address connected to.
    /// Default <c>public</c>: no loopback, private, link-local, CGNAT, multicast or metadata address.
    /// </summary>
    public Routing.TargetAllowList ForwardAllow { get; set; } = Routing.TargetAllowList.Parse([Routing.TargetAllowList.PublicEntry], []);

    /// <summary>
    /// <c>proxy_auth_users</c>: a file of <c>user:pbkdf2-sha256$ITER$SALT$HASH</c> lines (made by --hash-password);
    /// when set, every request needs Proxy-Authorization: Basic, else 407. Empty = no authentication.
    /// </summary>
    public string ProxyAuthUsers { get; set; } = "";

    /// <summary><c>proxy_auth_realm</c>: the realm of the Proxy-Authenticate challenge.</summary>
    public string ProxyAuthRealm { get; set; } = "InverseProxy";

    // ---- HTTPS --------------------------------------------------------------------------------

    /// <summary><c>tls_port</c>: the TCP port of the HTTPS listener, on <c>bind_address</c>; 0 = off.</summary>
    public int TlsPort { get; set; } = 0;

    /// <summary>
    /// <c>tls_certificate</c>: PEM file holding the server certificate, then its chain (relative = to the config
    /// file's directory). A site may name its own, chosen by the handshake's server name (SNI).
    /// </summary>
    public string TlsCertificate { get; set; } = "";

    /// <summary><c>tls_key</c>: PEM file holding the private key of <c>tls_certificate</c>.</summary>
    public string TlsKey { get; set; } = "";

    /// <summary><c>tls_protocols</c>: the TLS versions the HTTPS listener accepts; TLS 1.0 and 1.1 never.</summary>
    public System.Security.Authentication.SslProtocols TlsProtocols { get; set; } =
        System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;

    /// <summary><c>tls_handshake_timeout</c>: the whole TLS handshake must be done within this of the accept.</summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>redirect_to_https</c>: requests on the plain port get 308 to the same URL on https (PURGE exempt).</summary>
    public bool RedirectToHttps { get; set; }
}
