using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ConfigLoaderErrorTests
{
    private const string Size = "a byte count like 64MB or 1048576";
    private const string Duration = "a duration like 30s, 500ms, 5m, 1h or 1d (a bare number is seconds)";
    private const string Bool = "true or false (also on/off, yes/no, 1/0)";
    private const string Address = "an IP address like 0.0.0.0, 127.0.0.1 or :: (or localhost)";

    public static TheoryData<string, string> BadValues => new()
    {
        { "port = 70000", "port must be a port number 0-65535 (0 = any free port) (was '70000')" },
        { "port = -1", "port must be a whole number like 100 (was '-1')" },
        { "port = 80a", "port must be a whole number like 100 (was '80a')" },
        { "bind_address = 1.2.3", $"bind_address must be {Address} (was '1.2.3')" },
        { "max_connections = 0", "max_connections must be between 1 and 1000000 (was '0')" },
        { "spare_threads = 20000", "spare_threads must be between 0 and max_connections (was '20000')" },
        { "spare_threads = -1", "spare_threads must be a whole number like 100 (was '-1')" },
        { "max_connections = 1000001", "max_connections must be between 1 and 1000000 (was '1000001')" },
        { "connection_timeout = 0", "connection_timeout must be between 1ms and 24d (was '0s')" },
        { "connection_timeout = soon", $"connection_timeout must be {Duration} (was 'soon')" },
        { "shutdown_timeout = 30d", "shutdown_timeout must be between 0s and 24d (was '30d')" },
        { "max_request_line = 100", "max_request_line must be at least 256 (was '100')" },
        { "max_request_line = 64KB", "max_request_line must be at most max_header_bytes (was '64KB')" },
        { "max_request_line = 3GB", "max_request_line must be a byte count like 32KB or 8192 (was '3GB')" },
        { "max_header_bytes = 512", "max_header_bytes must be between 1KB and 1MB (was '512')" },
        { "max_header_count = 0", "max_header_count must be between 1 and 10000 (was '0')" },
        { "max_header_count = 10001", "max_header_count must be between 1 and 10000 (was '10001')" },
        { "max_body_size = lots", $"max_body_size must be {Size} (was 'lots')" },
        { "upstream_host = a b", "upstream_host must be a host or host:port without spaces or control characters (was 'a b')" },
        { "upstream_connect_timeout = 0s", "upstream_connect_timeout must be between 1ms and 24d (was '0s')" },
        { "upstream_read_timeout = 0", "upstream_read_timeout must be between 1ms and 24d (was '0s')" },
        { "upstream_max_idle = 100001", "upstream_max_idle must be between 0 and 100000 (was '100001')" },
        { "upstream_idle_timeout = 1x", $"upstream_idle_timeout must be {Duration} (was '1x')" },
        { "upstream_hold_down = -5s", $"upstream_hold_down must be {Duration} (was '-5s')" },
        { "cache_size = -1", $"cache_size must be {Size} (was '-1')" },
        { "max_entry_size = 0", "max_entry_size must be more than 0 (was '0')" },
        { "max_entry_size = 128MB", "max_entry_size must be at most cache_size (was '128MB')" },
        { "ttl = 3651d", "ttl must be between 0s and 3650d (was '3651d')" },
        { "cache_unmarked = maybe", $"cache_unmarked must be {Bool} (was 'maybe')" },
        { "max_ttl = 30s", "max_ttl must be at least ttl (was '30s')" },
        { "cache_set_cookie = 2", $"cache_set_cookie must be {Bool} (was '2')" },
        { "purge_allowed = 127.0.0.1, nope", "purge_allowed: 'nope' must be an IP address like 127.0.0.1 or ::1" },
        { "unit_time = 0", "unit_time must be between 1ms and 24d (was '0s')" },
        { "path_to_persistence =", "path_to_persistence must be a file path (relative paths start at the config file's directory) (was '')" },
        { "path_to_log = \"\"", "path_to_log must be a file path (relative paths start at the config file's directory) (was '')" },
        { "log_level = verbose", "log_level must be one of Trace, Debug, Information, Warning, Error, Critical, None (was 'verbose')" },
        { "log_level = 2", "log_level must be one of Trace, Debug, Information, Warning, Error, Critical, None (was '2')" },
        { "access_log = sometimes", $"access_log must be {Bool} (was 'sometimes')" },
        { "access_log_format = xml", "access_log_format must be one of text, combined, json (was 'xml')" },
        { "log_max_size = 1.5GB", $"log_max_size must be {Size} (was '1.5GB')" },
        { "log_keep = -1", "log_keep must be a whole number like 100 (was '-1')" },
        { "log_keep = 1001", "log_keep must be between 0 and 1000 (was '1001')" },
        { "corrupt_keep = 1001", "corrupt_keep must be between 0 and 1000 (was '1001')" },
        { "admin_port = 65536", "admin_port must be a port number 0-65535 (0 = off) (was '65536')" },
        { "admin_port = 8080", "admin_port must be different from port (was '8080')" },
        { "admin_bind_address = localhost:1", $"admin_bind_address must be {Address} (was 'localhost:1')" },
    };

    public static TheoryData<string, string> BadTargets => new()
    {
        { "targets = 127.0.0.1", "targets: '127.0.0.1' must be host:port (port 1-65535)" },
        { "targets = a:1, b:99999", "targets: 'b:99999' must be host:port (port 1-65535)" },
        { "targets = a:1,", "targets: '' must be host:port (port 1-65535)" },
        { "targets =", "targets must be at least one host:port (or a [site:NAME] section) (was '')" },
        { "targets = a:1, A:1", "targets: 'A:1' is listed more than once" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Load_BadValue_ReportsExactlyOneLineNamingTheKey(string line, string expected)
    {
        using var config = new TempConfig(TempConfig.Targets + line + "\n");
        var result = config.Load();

        Assert.Null(result.Options);
        Assert.Equal([expected], result.Errors);
    }

    [Theory]
    [MemberData(nameof(BadTargets))]
    public void Load_BadTargets_ReportsExactlyOneLine(string line, string expected)
    {
        using var config = new TempConfig(line + "\n");

        Assert.Equal([expected], config.Load().Errors);
    }

    [Fact]
    public void Load_SeveralBadKeys_ReportsEveryOne()
    {
        using var config = new TempConfig("port = x\ncache_size = -1\nttl = forever\nprot = 1\ntargets = a, b:1, c\n");
        var errors = config.Load().Errors;

        Assert.Equal(
            [
                "unknown key 'prot' (did you mean 'port'?)",
                "port must be a whole number like 100 (was 'x')",
                "targets: 'a' must be host:port (port 1-65535)",
                "targets: 'c' must be host:port (port 1-65535)",
                $"cache_size must be {Size} (was '-1')",
                $"ttl must be {Duration} (was 'forever')",
            ],
            errors);
    }

    [Fact]
    public void Load_CacheSizeUnparsable_DoesNotAlsoBlameMaxEntrySize()
    {
        using var config = new TempConfig(TempConfig.Targets + "cache_size = big\nmax_entry_size = 1GB\n");

        Assert.Equal([$"cache_size must be {Size} (was 'big')"], config.Load().Errors);
    }

    [Fact]
    public void Load_CacheOff_AllowsAnyEntrySize()
    {
        using var config = new TempConfig(TempConfig.Targets + "cache_size = 0\nmax_entry_size = 1GB\n");

        Assert.Empty(config.Load().Errors);
    }

    [Fact]
    public void Load_ControlBytesInValue_AreEscapedInTheError()
    {
        using var config = new TempConfig(TempConfig.Targets + "port = 80\u001b[2J\n");

        Assert.Equal(["port must be a whole number like 100 (was '80\\x1B[2J')"], config.Load().Errors);
    }

    [Fact]
    public void Load_UnknownKeyWithoutNearMatch_ReportsWithoutSuggestion()
    {
        using var config = new TempConfig(TempConfig.Targets + "colour_scheme = dark\n");

        Assert.Equal(["unknown key 'colour_scheme'"], config.Load().Errors);
    }

    [Fact]
    public void Load_DashedKeyInFile_IsUnknownWithSuggestion()
    {
        using var config = new TempConfig(TempConfig.Targets + "cache-size = 1MB\n");

        Assert.Equal(["unknown key 'cache-size' (did you mean 'cache_size'?)"], config.Load().Errors);
    }
}
