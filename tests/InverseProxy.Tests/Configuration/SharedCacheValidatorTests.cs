using System.Net;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class SharedCacheValidatorTests
{
    private static ProxyOptions Valid() => new() { Targets = [new DnsEndPoint("127.0.0.1", 9001)] };

    [Fact]
    public void Validate_RedisListOfTwo_NoErrors()
    {
        var options = Valid();
        options.Redis = "10.0.0.5:6379, redis.internal:6380";

        Assert.Empty(ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_BadRedisValues_EachNamesKeyAndExpectation()
    {
        var options = Valid();
        options.Redis = "10.0.0.5, 10.0.0.6:6379";
        options.RedisDb = -1;
        options.RedisTimeout = TimeSpan.Zero;
        options.RedisPrefix = "my prefix";

        Assert.Equal(
            [
                "redis: '10.0.0.5' must be host:port, like 127.0.0.1:6379",
                "redis_db must be between 0 and 1000 (was '-1')",
                "redis_timeout must be between 1ms and 10s (was '0s')",
                "redis_prefix must be printable ASCII without spaces, at most 100 characters (was 'my prefix')",
            ],
            ProxyOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_RedisWithoutCache_Refused()
    {
        var options = Valid();
        options.Redis = "127.0.0.1:6379";
        options.CacheSize = 0;

        Assert.Equal(["redis must be empty when cache_size is 0 (the second level needs the first) (was '127.0.0.1:6379')"], ProxyOptionsValidator.Validate(options));
    }
}
