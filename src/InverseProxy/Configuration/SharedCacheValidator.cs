namespace InverseProxy.Configuration;

/// <summary>The checks of the shared second-level cache keys (<c>redis</c>, <c>redis_*</c>).</summary>
internal static class SharedCacheValidator
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(10);

    public static void Check(OptionChecker check, ProxyOptions o)
    {
        foreach (var item in EndpointParsers.SplitList(o.Redis))
        {
            check.Item(EndpointParsers.TryParseTarget(item, out var endPoint) && endPoint.Port is >= 1 and <= 65535,
                "redis", item, "must be host:port, like 127.0.0.1:6379");
        }
        check.That(o.Redis.Length == 0 || o.CacheSize > 0, "empty when cache_size is 0 (the second level needs the first)", "redis", "cache_size");
        check.That(o.RedisPassword.All(c => c is >= ' ' and < '\x7f'), "printable ASCII", "redis_password");
        check.That(o.RedisDb is >= 0 and <= 1000, "between 0 and 1000", "redis_db");
        check.That(o.RedisTimeout >= TimeSpan.FromMilliseconds(1) && o.RedisTimeout <= MaxTimeout, "between 1ms and 10s", "redis_timeout");
        check.That(o.RedisPrefix.Length <= 100 && o.RedisPrefix.All(c => c is > ' ' and < '\x7f'),
            "printable ASCII without spaces, at most 100 characters", "redis_prefix");
    }
}
