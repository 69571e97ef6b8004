namespace InverseProxy.Caching.Persistence;

/// <summary>What the flusher needs from the cache: a change counter and a consistent snapshot.</summary>
internal interface ICacheSnapshotSource
{
    /// <summary>Grows on every store, eviction, invalidation or refresh; equal values mean nothing changed.</summary>
    long ChangeVersion { get; }

    /// <summary>
    /// The entries in LRU order, most recently used first, taken by reference under the cache lock (no body copies),
    /// together with the <see cref="ChangeVersion"/> they correspond to. Until <see cref="EndSnapshot"/>, an entry
    /// the cache drops (evicted, replaced, purged) is cleared from it: its slot reads null and the writer skips it.
    /// A snapshot being written would otherwise keep every entry dropped meanwhile in memory.
    /// </summary>
    IReadOnlyList<PersistedEntry?> Snapshot(out long version);

    /// <summary>The last snapshot has been written: the cache stops clearing it.</summary>
    void EndSnapshot();
}
