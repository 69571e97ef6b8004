using System.Net;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ProxyOptionsValidatorTests
{
    private static ProxyOptions Valid() => new() { Targets = [new DnsEndPoint("127.0.0.1", 9001)] };

    [Fact]
    public void Validate_DefaultsWithOneTarget_NoErrors()
    {
        Assert.Empty(ProxyOptionsValidator.Validate(Valid()));
    }

    [Fact]
    public void Validate_DefaultsWithoutTargets_RequiresOne()
    {
        Assert.Equal(["targets must be at least one host:port (or a [site:NAME] section) (was '')"], ProxyOptionsValidator.Validate(new ProxyOptions()));
    }

    [Fact]
    public void Validate_TargetListedThreeTimes_ReportedOnce()
    {
        var options = Valid();
        options.Targets.Add(new DnsEndPoint("127.0.0.1", 9001));
        options.Targets.Add(new DnsEndPoint("127.0.0.1", 9001));

        Assert.Equal(["targets: '127.0.0.1:9001' is listed more than once"], ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_UnknownAccessLogFormatSetInCode_IsReported()
    {
        var options = Valid();
        options.AccessLogFormat = "xml";

        Assert.Equal(["access_log_format must be one of text, combined, json (was 'xml')"], ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_NegativeSizesSetInCode_AreReported()
    {
        var options = Valid();
        options.CacheSize = -1;
        options.LogMaxSize = -1;
        options.MaxRequestBodyBytes = -1;

        Assert.Equal(
            [
                "max_body_size must be 0 (unlimited) or more (was '-1')",
                "cache_size must be 0 (off) or more (was '-1')",
                "log_max_size must be 0 (never rotate) or more (was '-1')",
            ],
            ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_KeyFailingItsOwnRange_SkipsCrossChecksOnIt()
    {
        var options = Valid();
        options.Ttl = TimeSpan.FromDays(4000);

        Assert.Equal(["ttl must be between 0s and 3650d (was '4000d')"], ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_UnparsedKey_SkipsChecksThatInvolveIt()
    {
        var options = Valid();
        options.MaxRequestLineBytes = 1 << 20;

        Assert.Empty(ProxyOptionsValidator.Validate(options, new HashSet<string> { "max_request_line" }));
        Assert.Empty(ProxyOptionsValidator.Validate(options, new HashSet<string> { "max_header_bytes" }));
    }

    [Fact]
    public void Validate_AdminPortEqualsEphemeralPort_IsAllowed()
    {
        var options = Valid();
        options.Port = 0;
        options.AdminPort = 0;

        Assert.Empty(ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_AdminOnAllAddressesWithoutToken_NamesAdminToken()
    {
        var options = Valid();
        options.AdminPort = 8081;
        options.AdminBindAddress = IPAddress.Any;

        Assert.Equal(["admin_token must be set when admin_bind_address is not loopback (PURGE must not be open to the network) (was '')"],
            ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_AdminOnAllAddressesWithToken_NoErrors()
    {
        var options = Valid();
        options.AdminPort = 8081;
        options.AdminBindAddress = IPAddress.IPv6Any;
        options.AdminToken = "s3cret-token";

        Assert.Empty(ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_AdminTokenWithSpace_RejectedWithoutEchoingIt()
    {
        var options = Valid();
        options.AdminToken = "two words";

        Assert.Equal(["admin_token must be printable ASCII without spaces (was '(hidden)')"], ProxyOptionsValidator.Validate(options));
    }

    [Theory]
    [InlineData(0, 30, "admin_loadtest_connections must be between 1 and 1000 (was '0')")]
    [InlineData(1001, 30, "admin_loadtest_connections must be between 1 and 1000 (was '1001')")]
    [InlineData(50, 0, "admin_loadtest_duration must be between 1s and 10m (was '0s')")]
    [InlineData(50, 601, "admin_loadtest_duration must be between 1s and 10m (was '601s')")]
    public void Validate_AdminLoadTestLimitOutOfRange_NamesKey(int connections, int seconds, string error)
    {
        var options = Valid();
        options.AdminLoadTestConnections = connections;
        options.AdminLoadTestDuration = TimeSpan.FromSeconds(seconds);

        Assert.Equal([error], ProxyOptionsValidator.Validate(options));
    }
}
