using InverseProxy.Caching.Persistence;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>
    /// Loads entries read from the cache file, most recently used first, behind anything already stored (see
    /// <see cref="Restoring"/>). Returns how many entries were restored.
    /// </summary>
    public int Restore(IEnumerable<PersistedEntry> entriesMostRecentFirst)
    {
        var restoring = BeginRestore();
        foreach (var persisted in entriesMostRecentFirst)
        {
            if (!restoring.Offer(persisted))
            {
                break;
            }
        }
        return restoring.Finish();
    }

    public Restoring BeginRestore() => new(this);

    /// <summary>
    /// A restore fed one record at a time as the file is read. Skips records that do not decode, entries past expiry
    /// with no stale window left, entries larger than max_entry_size and keys already offered; refuses the first
    /// entry that would overflow cache_size, so the most recent are kept and the reader can stop there. Holds no
    /// more than cache_size of entries; <see cref="Finish"/> adds them to the cache in the order offered.
    /// </summary>
    internal sealed class Restoring
    {
        private readonly ResponseCache _cache;
        private readonly DateTimeOffset _now;
        private readonly List<CachedResponse> _accepted = new();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private long _total;
        private bool _full;

        public Restoring(ResponseCache cache)
        {
            _cache = cache;
            _now = cache._time.GetUtcNow();
            _total = Interlocked.Read(ref cache._bytes);
            _full = !cache.Enabled;
        }

        /// <summary>False once the cache is full: nothing more will be taken.</summary>
        public bool Offer(PersistedEntry persisted)
        {
            if (_full)
            {
                return false;
            }
            if (!CachedResponse.TryRestore(persisted, out var entry) || IsDead(entry!, _now)
                || entry!.Body.Length > _cache._maxEntrySize || !_seen.Add(entry.Key))
            {
                return true;
            }
            if (_total + entry.Size > _cache._capacity)
            {
                _full = true;
                return false;
            }
            _total += entry.Size;
            _accepted.Add(entry);
            return true;
        }

        public int Finish() => _cache.Enabled ? _cache.AppendRestored(_accepted) : 0;
    }

    private int AppendRestored(List<CachedResponse> accepted)
    {
        int restored = 0;
        lock (_lock)
        {
            foreach (var entry in accepted)
            {
                if (Find(entry) is not null || _bytes + entry.Size > _capacity)
                {
                    continue;
                }
                AppendVariant(_lru.AddLast(entry));
                _bytes += entry.Size;
                restored++;
            }
            if (restored > 0)
            {
                Changed();
            }
        }
        return restored;
    }

    private static bool IsDead(CachedResponse entry, DateTimeOffset now)
    {
        if (entry.IsFreshAt(now))
        {
            return false;
        }
        var window = entry.StaleWhileRevalidate > entry.StaleIfError ? entry.StaleWhileRevalidate : entry.StaleIfError;
        return !CachePolicy.WithinStaleWindow(entry, window, now);
    }
}
