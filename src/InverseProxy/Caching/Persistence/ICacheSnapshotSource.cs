namespace InverseProxy.Caching.Persistence;

/// <summary>What the flusher needs from the cache: a change counter and a consistent snapshot.</summary>
internal interface ICacheSnapshotSource
{
    /// <summary>Grows on every store, eviction, invalidation or refresh; equal values mean nothing changed.</summary>
    long ChangeVersion { get; }

    /// <summary>
    /// The entries in LRU order, most recently used first, taken by reference under the cache lock (no body copies),
    /// together with the <see cref="ChangeVersion"/> they correspond to.
    /// </summary>
    IReadOnlyList<PersistedEntry> Snapshot(out long version);
}
