using InverseProxy.Caching.Persistence;
using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// The shared response cache: a map from primary key to the stored variants of that resource, and one LRU list over
/// every entry. One lock guards both; inside it only O(1) map and list work happens (entries, keys and head bytes
/// are built before it is taken). cache_size 0 disables it: every lookup misses and nothing is stored.
/// </summary>
internal sealed partial class ResponseCache : ICacheSnapshotSource
{
    /// <summary>Variants kept per primary key; a bound so that matching a request stays O(1).</summary>
    public const int MaxVariantsPerKey = 16;

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long _capacity;
    private long _maxEntrySize; // replaced whole on reload; read without the lock

    // Guarded by _lock. The first of each resource's variants, chained through LruNode.NextVariant, most recently
    // stored first. A chain costs nothing beyond its nodes; a list per resource cost two objects and 64 B an entry.
    private readonly Dictionary<string, LruNode<CachedResponse>> _byPrimary = new(StringComparer.Ordinal);
    private readonly LruList<CachedResponse> _lru = new();
    private long _bytes;
    private long _droppedBytes; // Size of the entries dropped since the last collection was asked for
    private CachedResponse?[]? _writing; // the snapshot being written, indexed by LruNode.SnapshotSlot

    // Written under _lock, read anywhere.
    private long _changeVersion;

    public ResponseCache(ProxyOptions options, TimeProvider time)
    {
        Policy = new CachePolicy(options);
        _time = time;
        _capacity = Math.Max(0, options.CacheSize);
        _maxEntrySize = options.MaxEntrySize;
        CaptureBudget = new CaptureBudget(options.MaxCaptureMemory);
        CollectAfterDroppedBytes = DefaultCollectAfterDroppedBytes(_capacity);
    }

    /// <summary>The storage rules; replaced whole by <see cref="Reconfigure"/> (SIGHUP), never mutated.</summary>
    public CachePolicy Policy { get; private set; }

    /// <summary>Applies reloaded TTL and storage settings to future decisions; what is stored stays as it is.</summary>
    public void Reconfigure(ProxyOptions options)
    {
        Volatile.Write(ref _maxEntrySize, options.MaxEntrySize);
        CaptureBudget.Resize(options.MaxCaptureMemory);
        Policy = new CachePolicy(options);
    }

    /// <summary>What responses being copied for the cache may hold at once (<c>max_capture_memory</c>).</summary>
    public CaptureBudget CaptureBudget { get; }

    public CacheStatistics Statistics { get; } = new();

    /// <summary>
    /// <see cref="CollectDropped"/> runs each time entries this large in all have been dropped: an eighth of
    /// cache_size, and at least 64 MB, so that a small cache under churn does not collect over and over (the memory
    /// target allows 100 MB over a quarter more than cache_size). With a quarter, a full 1 GB cache of 100 KB entries
    /// being refilled (bench/memory.sh, 40 s) ended at 1,373 MB resident, peak 1,600 MB; with an eighth 1,242 MB,
    /// peak 1,336 MB, and as many requests served.
    /// </summary>
    internal long CollectAfterDroppedBytes { get; init; }

    public static long DefaultCollectAfterDroppedBytes(long capacity) => Math.Max(capacity / 8, 64L * 1024 * 1024);

    /// <summary>
    /// Called (outside the lock) once dropped entries add up to <see cref="CollectAfterDroppedBytes"/>: by default
    /// starts a background collection of the whole heap. Entries die old, in the oldest generation and the large object
    /// heap, which the runtime collects on its own only once allocations since its last full collection pass a
    /// budget that grows with the heap; meanwhile resident memory grows by every entry dropped. The cache knows
    /// when a lot of that has died. A full 256 MB cache refilled as fast as the bench origin answers (bench/memory.sh,
    /// 15 s, two runs each): resident memory at the end 446–522 / 495–574 / 973–1,719 MB for 1 KB / 16 KB / 100 KB
    /// bodies without, 368–386 / 401–413 / 397–400 MB with (peaks 516–522 / 829–889 / 1,008–1,871 MB against
    /// 386–393 / 531–578 / 653–684 MB). Requests served in those runs: within the runs' spread of each other.
    /// </summary>
    internal Action CollectDropped { get; init; } = static () => GC.Collect(2, GCCollectionMode.Forced, blocking: false);

    public bool Enabled => _capacity > 0;

    public long ChangeVersion => Interlocked.Read(ref _changeVersion);

    /// <summary>
    /// Finds the stored response for a GET or HEAD with primary key <paramref name="primary"/> whose Vary fields match
    /// <paramref name="request"/>'s, and judges it against the request's directives.
    /// </summary>
    public CacheLookup Lookup(string primary, RequestHead request)
    {
        var directives = CacheRequestDirectives.Parse(request.Headers);
        if (!Enabled || !(request.IsGet || request.IsHead))
        {
            return new CacheLookup(CacheLookupKind.Miss, null, directives);
        }
        CachedResponse? found = null;
        lock (_lock)
        {
            for (var node = _byPrimary.GetValueOrDefault(primary); node is not null; node = node.NextVariant)
            {
                if (VaryFields.Matches(node.Value.VaryNames, node.Value.VaryValues, request))
                {
                    _lru.MoveToFront(node);
                    found = node.Value;
                    break;
                }
            }
        }
        if (found is null)
        {
            Statistics.RecordMiss();
            return new CacheLookup(CacheLookupKind.Miss, null, directives);
        }
        var now = _time.GetUtcNow();
        var kind = CachePolicy.Classify(found, directives, now);
        if (kind == CacheLookupKind.Fresh)
        {
            Statistics.RecordHit();
        }
        else
        {
            // Anything that has to go upstream counts as a miss; a stale answer is counted by RecordStaleServed.
            Statistics.RecordMiss();
        }
        return new CacheLookup(kind, found, directives, now);
    }

    /// <summary>The head-only storage decision (see <see cref="CachePolicy.Evaluate"/>).</summary>
    public StoreDecision Evaluate(RequestHead request, ResponseHead response, DateTimeOffset requestTime, DateTimeOffset responseTime) =>
        Policy.Evaluate(request, response, requestTime, responseTime);

    public void RecordStaleServed() => Statistics.RecordStaleServed();

    public CacheCounters Counters() => Statistics.Snapshot();

    /// <summary>
    /// Every entry's persisted form, most recently used first, sharing head and body arrays. Entries dropped before
    /// <see cref="EndSnapshot"/> are cleared from it (see <see cref="ICacheSnapshotSource.Snapshot"/>). A full
    /// 256 MB cache being refilled as fast as the bench origin answers (bench/memory.sh) peaked at 531 / 685 MB
    /// resident with 16 KB / 100 KB entries while its file was written, and at 447 / 453 MB with this.
    /// </summary>
    public IReadOnlyList<PersistedEntry?> Snapshot(out long version)
    {
        while (true)
        {
            // The array is allocated outside the lock; if the cache grew meanwhile, try again with the new size.
            var entries = new CachedResponse?[Statistics.Entries + 16];
            lock (_lock)
            {
                if (_lru.Count > entries.Length)
                {
                    continue;
                }
                version = _changeVersion;
                int count = 0;
                for (var node = _lru.First; node is not null; node = node.Next)
                {
                    node.SnapshotSlot = count;
                    entries[count++] = node.Value;
                }
                _writing = entries;
                return new SnapshotView(entries, count);
            }
        }
    }

    public void EndSnapshot()
    {
        lock (_lock)
        {
            _writing = null;
        }
    }

    /// <summary>
    /// A snapshot as the writer reads it: each entry's persisted form is made when read, on the flusher's thread, so
    /// the lock is held only to copy references. A slot the cache has cleared reads null.
    /// </summary>
    private sealed class SnapshotView(CachedResponse?[] entries, int count) : IReadOnlyList<PersistedEntry?>
    {
        public int Count => count;

        public PersistedEntry? this[int index] => (uint)index < (uint)count
            ? Volatile.Read(ref entries[index])?.Persisted
            : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<PersistedEntry?> GetEnumerator()
        {
            for (int i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // Caller holds _lock.
    private void Changed()
    {
        Interlocked.Increment(ref _changeVersion);
        Statistics.SetSize(_lru.Count, _bytes);
    }
}
