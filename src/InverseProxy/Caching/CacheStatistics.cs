namespace InverseProxy.Caching;

/// <summary>
/// Cache counters, updated with Interlocked so the hot path never waits for a reader. Entries and Bytes are written
/// by <see cref="ResponseCache"/> under its lock and only read here.
/// </summary>
internal sealed class CacheStatistics
{
    private long _hits;
    private long _misses;
    private long _staleServed;
    private long _evictions;
    private long _stores;
    private long _invalidations;
    private long _entries;
    private long _bytes;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long StaleServed => Interlocked.Read(ref _staleServed);

    public long Evictions => Interlocked.Read(ref _evictions);

    public long Stores => Interlocked.Read(ref _stores);

    public long Invalidations => Interlocked.Read(ref _invalidations);

    public long Entries => Interlocked.Read(ref _entries);

    public long Bytes => Interlocked.Read(ref _bytes);

    public double HitRatio => Snapshot().HitRatio;

    public void RecordHit() => Interlocked.Increment(ref _hits);

    public void RecordMiss() => Interlocked.Increment(ref _misses);

    public void RecordStaleServed() => Interlocked.Increment(ref _staleServed);

    public void RecordEviction() => Interlocked.Increment(ref _evictions);

    public void RecordStore() => Interlocked.Increment(ref _stores);

    public void RecordInvalidations(int count) => Interlocked.Add(ref _invalidations, count);

    public void SetSize(long entries, long bytes)
    {
        Interlocked.Exchange(ref _entries, entries);
        Interlocked.Exchange(ref _bytes, bytes);
    }

    public CacheCounters Snapshot() =>
        new(Hits, Misses, StaleServed, Evictions, Stores, Invalidations, Entries, Bytes);
}
