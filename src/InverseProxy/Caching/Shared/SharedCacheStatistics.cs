namespace InverseProxy.Caching.Shared;

/// <summary>What /proxy-stats and /metrics report of the second-level cache.</summary>
internal readonly record struct SharedCacheCounters(long Hits, long Misses, long Stores, long Drops, long Errors, SharedCircuitState Circuit);

/// <summary>Second-level cache counters, updated with Interlocked.</summary>
internal sealed class SharedCacheStatistics
{
    private long _hits;
    private long _misses;
    private long _stores;
    private long _drops;
    private long _errors;

    public void RecordHit() => Interlocked.Increment(ref _hits);

    public void RecordMiss() => Interlocked.Increment(ref _misses);

    public void RecordStore() => Interlocked.Increment(ref _stores);

    /// <summary>A store not sent: the queue was full or the circuit open.</summary>
    public void RecordDrop() => Interlocked.Increment(ref _drops);

    /// <summary>A call that failed or outlasted redis_timeout.</summary>
    public void RecordError() => Interlocked.Increment(ref _errors);

    public SharedCacheCounters Snapshot(SharedCircuitState circuit) => new(
        Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _stores),
        Interlocked.Read(ref _drops), Interlocked.Read(ref _errors), circuit);
}
