namespace InverseProxy.Logging;

/// <summary>What the cache did for one request, as the access log's <c>cache</c> field shows it.</summary>
internal enum CacheResult
{
    /// <summary>The cache was not consulted (e.g. a refused request): <c>-</c>.</summary>
    None,
    Hit,
    Miss,
    Stale,
    Bypass,
    Revalidated,
}

internal static class CacheResultText
{
    public static ReadOnlySpan<byte> ToUtf8(this CacheResult result) => result switch
    {
        CacheResult.Hit => "HIT"u8,
        CacheResult.Miss => "MISS"u8,
        CacheResult.Stale => "STALE"u8,
        CacheResult.Bypass => "BYPASS"u8,
        CacheResult.Revalidated => "REVALIDATED"u8,
        _ => "-"u8,
    };
}
