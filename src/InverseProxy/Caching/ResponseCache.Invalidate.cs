using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>Removes every stored variant of the resource with primary key <paramref name="primary"/>; returns how many went.</summary>
    public int Invalidate(string primary) => InvalidateKeys([primary]);

    /// <summary>RFC 9111 §4.4: a successful unsafe request invalidates its target and same-host Location/Content-Location.</summary>
    public int InvalidateAfterUnsafe(string method, string primary, int status, HttpHeaders responseHeaders)
    {
        var keys = CachePolicy.InvalidationKeys(method, primary, status, responseHeaders);
        return keys.Count == 0 ? 0 : InvalidateKeys(keys);
    }

    private int InvalidateKeys(List<string> primaryKeys)
    {
        int removed = 0;
        lock (_lock)
        {
            foreach (string primary in primaryKeys)
            {
                while (_byPrimary.GetValueOrDefault(primary) is { } first)
                {
                    Unlink(first, previous: null);
                    removed++;
                }
            }
            if (removed > 0)
            {
                Changed();
            }
        }
        Statistics.RecordInvalidations(removed);
        return removed;
    }
}
