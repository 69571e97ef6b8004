using System.Net;
using InverseProxy.Configuration;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Tests.Configuration;

public sealed class LiveSettingsTests
{
    private static readonly string[] RestartOnly =
    [
        "port", "bind_address", "spare_threads", "tls_port", "cache_size", "unit_time", "path_to_persistence", "corrupt_keep", "path_to_log", "log_level",
        "access_log", "access_log_format", "log_max_size", "log_keep", "admin_port", "admin_bind_address",
        "redis", "redis_password", "redis_db", "redis_timeout", "redis_prefix",
    ];

    [Fact]
    public void Merge_EveryKeyChanged_TakesReloadableKeysAndReportsTheRest()
    {
        var live = new ProxyOptions();
        var original = Render(new ProxyOptions());
        var next = EveryValueChanged();
        var wanted = Render(next);

        var merged = LiveSettings.Merge(live, next, out var restart);

        Assert.Equal(RestartOnly, restart);
        Assert.Equal(original, Render(live)); // the running settings are never changed in place
        var now = Render(merged);
        foreach (var key in OptionKeys.All)
        {
            Assert.NotEqual(original[key.Name], wanted[key.Name]); // the test changes every key
            Assert.Equal(RestartOnly.Contains(key.Name) ? original[key.Name] : wanted[key.Name], now[key.Name]);
        }
    }

    [Fact]
    public void Merge_SameSettings_ReportsNothing()
    {
        var live = new ProxyOptions { Port = 9000, BindAddress = IPAddress.Parse("127.0.0.1") };
        var next = new ProxyOptions { Port = 9000, BindAddress = IPAddress.Loopback };

        LiveSettings.Merge(live, next, out var restart);

        Assert.Empty(restart);
    }

    [Fact]
    public void Merge_OnlyTargetsAndTtlChanged_TakesThemAndReportsNothing()
    {
        var live = new ProxyOptions { Targets = [new DnsEndPoint("127.0.0.1", 8081)] };
        var next = new ProxyOptions { Targets = [new DnsEndPoint("127.0.0.1", 8082)], Ttl = TimeSpan.FromSeconds(5) };

        var merged = LiveSettings.Merge(live, next, out var restart);

        Assert.Empty(restart);
        Assert.Equal(8082, Assert.Single(merged.Targets).Port);
        Assert.Equal(TimeSpan.FromSeconds(5), merged.Ttl);
    }

    [Fact]
    public void Merge_PortAndCacheSizeChanged_ReportsBothByNameAndKeepsThem()
    {
        var live = new ProxyOptions { Port = 8080, CacheSize = 1000 };
        var next = new ProxyOptions { Port = 8081, CacheSize = 2000 };

        var merged = LiveSettings.Merge(live, next, out var restart);

        Assert.Equal(["port", "cache_size"], restart);
        Assert.Equal(8080, merged.Port);
        Assert.Equal(1000, merged.CacheSize);
    }

    private static Dictionary<string, string> Render(ProxyOptions options) =>
        OptionKeys.All.ToDictionary(k => k.Name, k => k.Render(options));

    private static ProxyOptions EveryValueChanged() => new()
    {
        SpareThreads = 32,
        Port = 9999,
        BindAddress = IPAddress.Parse("10.0.0.1"),
        MaxConnections = 7,
        ConnectionTimeout = TimeSpan.FromSeconds(7),
        SendTimeout = TimeSpan.FromSeconds(7),
        ShutdownTimeout = TimeSpan.FromSeconds(7),
        MaxRequestLineBytes = 777,
        MaxHeaderBytes = 7777,
        MaxHeaderCount = 7,
        MaxRequestBodyBytes = 7,
        RequestBufferSize = 7,
        MinBodyRate = 7,
        MinBodyRateGrace = TimeSpan.FromSeconds(7),
        DenyPaths = ["/seven/**"],
        DenyMethods = ["SEVEN"],
        AllowClients = [IPNetwork.Parse("10.7.0.0/16")],
        DenyClients = [IPNetwork.Parse("10.77.0.0/16")],
        DenyUserAgents = "seven",
        DenyHostsFile = "/tmp/seven.hosts",
        DenyStatus = 404,
        RateLimit = new InverseProxy.Proxy.Policy.RateLimit(7, 's'),
        RateLimitBurst = 7,
        RateLimitClients = 7,
        TrustedProxies = [IPNetwork.Parse("10.7.7.0/24")],
        Compression = false,
        CompressTypes = ["text/html"],
        CompressMinSize = 7,
        Targets = [new DnsEndPoint("10.0.0.7", 7)],
        UpstreamHost = "seven.test",
        UpstreamConnectTimeout = TimeSpan.FromSeconds(7),
        UpstreamReadTimeout = TimeSpan.FromSeconds(77),
        UpstreamMaxIdlePerTarget = 7,
        UpstreamIdleTimeout = TimeSpan.FromSeconds(77),
        UpstreamHoldDown = TimeSpan.FromSeconds(77),
        MaxDynamicTargets = 77,
        CacheSize = 7777,
        MaxEntrySize = 777,
        MaxCaptureMemory = 77_777,
        Ttl = TimeSpan.FromSeconds(7),
        CacheUnmarked = false,
        MaxTtl = TimeSpan.FromHours(7),
        CacheSetCookie = true,
        PurgeAllowed = [IPAddress.Loopback],
        UnitTime = TimeSpan.FromSeconds(77),
        PathToPersistence = "/tmp/seven.bin",
        CorruptKeep = 7,
        PathToLog = "/tmp/seven.log",
        LogLevel = LogLevel.Debug,
        AccessLog = false,
        AccessLogFormat = "json",
        LogMaxSize = 7777,
        LogKeep = 7,
        AdminPort = 7777,
        AdminBindAddress = IPAddress.Parse("10.0.0.7"),
        AdminToken = "rotated-token",
        AdminLoadTestConnections = 7,
        AdminLoadTestDuration = TimeSpan.FromSeconds(7),
        WebSocket = false,
        TunnelIdleTimeout = TimeSpan.FromMinutes(7),
        Connect = true,
        ConnectPorts = [7],
        ForwardProxy = true,
        ForwardAllow = InverseProxy.Routing.TargetAllowList.Parse(["10.0.0.0/8"], []),
        ProxyAuthUsers = "/tmp/seven.users",
        ProxyAuthRealm = "Seven",
        Redis = "10.0.0.8:6379",
        RedisPassword = "secret",
        RedisDb = 3,
        RedisTimeout = TimeSpan.FromMilliseconds(80),
        RedisPrefix = "edge:",
        TlsPort = 8443,
        TlsCertificate = "/etc/inverseproxy/site.pem",
        TlsKey = "/etc/inverseproxy/site.key",
        TlsProtocols = System.Security.Authentication.SslProtocols.Tls13,
        TlsHandshakeTimeout = TimeSpan.FromSeconds(5),
        RedirectToHttps = true,
    };
}
