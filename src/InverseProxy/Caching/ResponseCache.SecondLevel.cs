using InverseProxy.Caching.Shared;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>The shared cache looked up after a miss here (redis = …); null when there is none. Set once at start.</summary>
    public SharedCache? SecondLevel { get; set; }

    /// <summary>Takes an entry found in the second level, as most recently used, replacing the variant with its key.</summary>
    public void Adopt(CachedResponse entry)
    {
        if (!Enabled || entry.Body.Length > Volatile.Read(ref _maxEntrySize) || entry.Size > _capacity)
        {
            return;
        }
        lock (_lock)
        {
            Insert(entry, replacing: null);
            Changed();
        }
    }
}
