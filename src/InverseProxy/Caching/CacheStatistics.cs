namespace InverseProxy.Caching;

/// <summary>
/// Cache counters, striped per processor (every lookup counts a hit or a miss) so the hot path never waits for a
/// reader. Entries and Bytes are written by <see cref="ResponseCache"/> under its lock and only read here.
/// </summary>
internal sealed class CacheStatistics
{
    private const int HitsCounter = 0;
    private const int MissesCounter = 1;
    private const int StaleServedCounter = 2;
    private const int EvictionsCounter = 3;
    private const int StoresCounter = 4;
    private const int InvalidationsCounter = 5;

    private readonly Metrics.StripedCounters _counters = new(6);
    private long _entries;
    private long _bytes;

    public long Hits => _counters.Read(HitsCounter);

    public long Misses => _counters.Read(MissesCounter);

    public long StaleServed => _counters.Read(StaleServedCounter);

    public long Evictions => _counters.Read(EvictionsCounter);

    public long Stores => _counters.Read(StoresCounter);

    public long Invalidations => _counters.Read(InvalidationsCounter);

    public long Entries => Interlocked.Read(ref _entries);

    public long Bytes => Interlocked.Read(ref _bytes);

    public double HitRatio => Snapshot().HitRatio;

    public void RecordHit() => _counters.Increment(HitsCounter);

    public void RecordMiss() => _counters.Increment(MissesCounter);

    public void RecordStaleServed() => _counters.Increment(StaleServedCounter);

    public void RecordEviction() => _counters.Increment(EvictionsCounter);

    public void RecordStore() => _counters.Increment(StoresCounter);

    public void RecordInvalidations(int count) => _counters.Add(InvalidationsCounter, count);

    public void SetSize(long entries, long bytes)
    {
        Interlocked.Exchange(ref _entries, entries);
        Interlocked.Exchange(ref _bytes, bytes);
    }

    public CacheCounters Snapshot() =>
        new(Hits, Misses, StaleServed, Evictions, Stores, Invalidations, Entries, Bytes);
}
