using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>Removes every stored variant of a resource; returns how many entries went.</summary>
    public int Invalidate(string scheme, string host, string target) =>
        InvalidateKeys([CacheKey.Primary(scheme, host, target)]);

    /// <summary>PURGE: true when something was stored for the resource.</summary>
    public bool Purge(string scheme, string host, string target) => Invalidate(scheme, host, target) > 0;

    /// <summary>RFC 9111 §4.4: a successful unsafe request invalidates its target and same-host Location/Content-Location.</summary>
    public int InvalidateAfterUnsafe(RequestHead request, string scheme, int status, HttpHeaders responseHeaders)
    {
        var keys = CachePolicy.InvalidationKeys(request, scheme, status, responseHeaders);
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
