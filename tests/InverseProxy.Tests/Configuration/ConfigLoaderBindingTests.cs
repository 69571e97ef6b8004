using System.Net;
using InverseProxy.Configuration;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Tests.Configuration;

public sealed class ConfigLoaderBindingTests
{
    private const string EveryKey = """
        port = 9100
        bind_address = 127.0.0.1
        max_connections = 500
        connection_timeout = 45s
        shutdown_timeout = 2m
        max_request_line = 4KB
        max_header_bytes = 16384
        max_header_count = 50
        max_body_size = 10MB
        targets = 10.0.0.1:80, origin.internal:8080, [::1]:9000
        upstream_host = example.com
        upstream_connect_timeout = 1500ms
        upstream_read_timeout = 20
        upstream_max_idle = 8
        upstream_idle_timeout = 1m
        upstream_hold_down = 3s
        cache_size = 1G
        max_entry_size = 2MiB
        ttl = 5m
        cache_unmarked = off
        max_ttl = 2h
        cache_set_cookie = yes
        purge_allowed = 127.0.0.1, ::1
        unit_time = 30s
        path_to_persistence = data/c.bin
        path_to_log = /var/log/ip.log
        log_level = debug
        access_log = no
        access_log_format = JSON
        log_max_size = 1GB
        log_keep = 3
        admin_port = 9101
        admin_bind_address = ::1
        """;

    [Fact]
    public void Load_FileSettingEveryKey_BindsEachValue()
    {
        using var config = new TempConfig(EveryKey);
        var result = config.Load();

        Assert.Empty(result.Errors);
        var o = result.Options!;
        Assert.Equal(9100, o.Port);
        Assert.Equal(IPAddress.Loopback, o.BindAddress);
        Assert.Equal(500, o.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(45), o.ConnectionTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), o.ShutdownTimeout);
        Assert.Equal(4096, o.MaxRequestLineBytes);
        Assert.Equal(16384, o.MaxHeaderBytes);
        Assert.Equal(50, o.MaxHeaderCount);
        Assert.Equal(10L * 1024 * 1024, o.MaxRequestBodyBytes);
        Assert.Equal(["10.0.0.1:80", "origin.internal:8080", "[::1]:9000"], o.Targets.Select(EndpointParsers.FormatTarget));
        Assert.Equal("example.com", o.UpstreamHost);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), o.UpstreamConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), o.UpstreamReadTimeout);
        Assert.Equal(8, o.UpstreamMaxIdlePerTarget);
        Assert.Equal(TimeSpan.FromMinutes(1), o.UpstreamIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), o.UpstreamHoldDown);
        Assert.Equal(1L << 30, o.CacheSize);
        Assert.Equal(2L * 1024 * 1024, o.MaxEntrySize);
        Assert.Equal(TimeSpan.FromMinutes(5), o.Ttl);
        Assert.False(o.CacheUnmarked);
        Assert.Equal(TimeSpan.FromHours(2), o.MaxTtl);
        Assert.True(o.CacheSetCookie);
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], o.PurgeAllowed);
        Assert.Equal(TimeSpan.FromSeconds(30), o.UnitTime);
        Assert.Equal(Path.Combine(config.Directory, "data", "c.bin"), o.PathToPersistence);
        Assert.Equal("/var/log/ip.log", o.PathToLog);
        Assert.Equal(LogLevel.Debug, o.LogLevel);
        Assert.False(o.AccessLog);
        Assert.Equal("json", o.AccessLogFormat);
        Assert.Equal(1L << 30, o.LogMaxSize);
        Assert.Equal(3, o.LogKeep);
        Assert.Equal(9101, o.AdminPort);
        Assert.Equal(IPAddress.IPv6Loopback, o.AdminBindAddress);
    }

    [Fact]
    public void Describe_LoadedOptions_RoundTripsThroughAFile()
    {
        using var first = new TempConfig(EveryKey);
        var described = ConfigLoader.Describe(first.Load().Options!);

        using var second = new TempConfig(described);
        var reloaded = second.Load();

        Assert.Empty(reloaded.Errors);
        Assert.Equal(described, ConfigLoader.Describe(reloaded.Options!));
    }

    [Fact]
    public void Describe_EveryKey_AppearsOnceInOrder()
    {
        var lines = ConfigLoader.Describe(new ProxyOptions()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(OptionKeys.Names, lines.Select(l => l[..l.IndexOf(" =", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Load_OnlyTargets_OtherKeysKeepDefaults()
    {
        using var config = new TempConfig();
        var options = config.Load().Options!;

        var defaults = new ProxyOptions
        {
            Targets = options.Targets,
            PathToPersistence = options.PathToPersistence,
            PathToLog = options.PathToLog,
        };
        Assert.Equal(ConfigLoader.Describe(defaults), ConfigLoader.Describe(options));
        Assert.Equal(Path.Combine(config.Directory, "state", "cache.bin"), options.PathToPersistence);
        Assert.Equal(Path.Combine(config.Directory, "logs", "proxy.log"), options.PathToLog);
    }

    [Fact]
    public void Load_CommentsBlankLinesAndQuotes_AreAccepted()
    {
        using var config = new TempConfig("; comment\n# another\n\n  port = \"9200\"  \r\n" + TempConfig.Targets);
        var result = config.Load();

        Assert.Empty(result.Errors);
        Assert.Equal(9200, result.Options!.Port);
    }

    [Fact]
    public void Load_PortZero_MeansEphemeralAndIsAccepted()
    {
        using var config = new TempConfig("port = 0\n" + TempConfig.Targets);

        Assert.Equal(0, config.Load().Options!.Port);
    }

    [Fact]
    public void Load_SameFileTwice_ReturnsIndependentOptions()
    {
        using var config = new TempConfig();
        var first = config.Load().Options!;
        first.Port = 1;

        var second = config.Load().Options!;

        Assert.NotSame(first, second);
        Assert.Equal(8080, second.Port);
    }

    [Fact]
    public void Load_FileBrokenAfterGoodLoad_ReturnsErrorsAndNoOptions()
    {
        using var config = new TempConfig();
        Assert.NotNull(config.Load().Options);

        File.WriteAllText(config.Path, TempConfig.Targets + "port = eighty\n");
        var result = config.Load();

        Assert.Null(result.Options);
        Assert.Equal(["port must be a whole number like 100 (was 'eighty')"], result.Errors);
    }
}
