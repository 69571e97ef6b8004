using InverseProxy.Caching.Persistence;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>
    /// Loads entries read from the cache file, most recently used first, behind anything already stored. Skips
    /// records that do not decode, entries past expiry with no stale window left, entries larger than max_entry_size
    /// and keys already present; stops at the first entry that would overflow cache_size, so the most recent are kept.
    /// Returns how many entries were restored.
    /// </summary>
    public int Restore(IEnumerable<PersistedEntry> entriesMostRecentFirst)
    {
        if (!Enabled)
        {
            return 0;
        }
        var now = _time.GetUtcNow();
        var accepted = new List<CachedResponse>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = Interlocked.Read(ref _bytes);
        foreach (var persisted in entriesMostRecentFirst)
        {
            if (!CachedResponse.TryRestore(persisted, out var entry) || IsDead(entry!, now)
                || entry!.Body.Length > _maxEntrySize || !seen.Add(entry.Key))
            {
                continue;
            }
            if (total + entry.Size > _capacity)
            {
                break;
            }
            total += entry.Size;
            accepted.Add(entry);
        }
        return AppendRestored(accepted);
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
