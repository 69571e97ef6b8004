namespace InverseProxy.Caching;

/// <summary>A point-in-time copy of the cache counters, for the stats endpoint and the logs.</summary>
internal readonly record struct CacheCounters(
    long Hits, long Misses, long StaleServed, long Evictions, long Stores, long Invalidations, long Entries, long Bytes)
{
    /// <summary>Hits over lookups; 0 before the first lookup.</summary>
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
