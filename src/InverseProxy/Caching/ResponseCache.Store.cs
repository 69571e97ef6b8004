using InverseProxy.Compression;
using InverseProxy.Http;

namespace InverseProxy.Caching;

internal sealed partial class ResponseCache
{
    /// <summary>
    /// Stores a response whose <paramref name="decision"/> allowed it, with its complete de-chunked
    /// <paramref name="body"/> (owned by the cache from now on). Replaces the entry with the same key and evicts
    /// least recently used entries until it fits. Null when it is not stored. <paramref name="negotiated"/>: the
    /// coding the proxy negotiated for the response (then <paramref name="response"/> is the head it was sent with).
    /// <paramref name="onlyWhileStored"/>: a refresh of that entry, stored only while the entry still is (a PURGE,
    /// an invalidation or an eviction that came while the refresh was in flight is not undone by its answer).
    /// </summary>
    public CachedResponse? Store(
        string primary, RequestHead request, ResponseHead response, byte[] body, StoreDecision decision, ContentCoding? negotiated = null,
        CachedResponse? onlyWhileStored = null)
    {
        if (!Enabled || !decision.IsStorable || body.Length > _maxEntrySize || IsTruncated(response, body)
            || !VaryFields.TryGetNames(response.Headers, out string[] varyNames))
        {
            return null;
        }
        string key = CacheKey.WithVariant(primary, varyNames, request.Headers, negotiated);
        var headers = StoredHeaders.ForStorage(response.Headers, response.StatusCode, body.Length);
        var entry = CachedResponse.Create(key, response.StatusCode, response.Reason, headers, body, decision.BornAt, decision.ExpiresAt);
        if (entry.Size > _capacity)
        {
            return null;
        }
        bool collect;
        lock (_lock)
        {
            if (onlyWhileStored is not null && FindExactly(onlyWhileStored) is null)
            {
                return null;
            }
            Insert(entry, replacing: null);
            Changed();
            collect = _droppedBytes >= CollectAfterDroppedBytes;
            if (collect)
            {
                _droppedBytes = 0;
            }
        }
        if (collect)
        {
            CollectDropped();
        }
        Statistics.RecordStore();
        return entry;
    }

    /// <summary>
    /// Applies a 304 to a stored response (RFC 9111 §4.3.4): its fields replace the stored ones, and freshness starts
    /// again from this exchange. Returns the updated response to serve; it replaces <paramref name="old"/> in the
    /// cache unless the merged response may no longer be stored (then the old entry goes), or the old entry is no
    /// longer stored (purged, invalidated, evicted, or replaced by a newer response meanwhile). <paramref name="policy"/> is the site's; null = this cache's own.
    /// </summary>
    public CachedResponse Refresh(
        string primary, RequestHead request, CachedResponse old, ResponseHead notModified, DateTimeOffset requestTime, DateTimeOffset responseTime,
        CachePolicy? policy = null)
    {
        var merged = StoredHeaders.Merge(old.Headers, notModified.Headers);
        var negotiated = old.NegotiatedCoding;
        if (negotiated is { } coding)
        {
            // The 304 describes the target's representation: its Vary and strong ETag must not replace the variant's.
            CodingFields.Apply(merged, coding);
            merged.Set("Content-Length", old.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var mergedHead = new ResponseHead(HttpVersion.Http11, old.StatusCode, old.Reason, merged);
        var decision = (policy ?? Policy).EvaluateResponse(request, mergedHead, requestTime, responseTime, requireFreshness: false);
        bool storable = decision.IsStorable && VaryFields.TryGetNames(merged, out _);
        var bornAt = decision.IsStorable ? decision.BornAt : responseTime;
        string key = storable ? KeyFor(primary, request, merged, negotiated) : old.Key;
        var entry = CachedResponse.Create(key, old.StatusCode, old.Reason, merged, old.Body, bornAt, bornAt + decision.Lifetime);
        if (!Enabled)
        {
            return entry;
        }
        lock (_lock)
        {
            if (!storable || entry.Size > _capacity)
            {
                RemoveEntry(old);
            }
            // Only while the old entry is still the stored one: a PURGE, an invalidation or an eviction that came
            // while this validation was in flight is not undone by its 304, nor a newer response replaced.
            else if (FindExactly(old) is not null)
            {
                Insert(entry, replacing: old);
            }
            Changed();
        }
        return entry;
    }

    // A body shorter or longer than the Content-Length it came with means the transfer went wrong: never store it.
    private static bool IsTruncated(ResponseHead response, byte[] body)
    {
        string? declared = response.Headers.Get("Content-Length");
        return declared is not null
            && declared.Trim() != body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string KeyFor(string primary, RequestHead request, HttpHeaders stored, ContentCoding? negotiated)
    {
        VaryFields.TryGetNames(stored, out string[] varyNames);
        return CacheKey.WithVariant(primary, varyNames, request.Headers, negotiated);
    }

    // Caller holds _lock. Variants listing other Vary names are dropped: the origin changed how it negotiates.
    private void Insert(CachedResponse entry, CachedResponse? replacing)
    {
        if (replacing is not null)
        {
            RemoveEntry(replacing);
        }
        LruNode<CachedResponse>? previous = null;
        var stored = _byPrimary.GetValueOrDefault(entry.PrimaryKey);
        for (int i = 0; stored is not null; i++)
        {
            var next = stored.NextVariant;
            if (stored.Value.Key == entry.Key || !stored.Value.VaryNames.AsSpan().SequenceEqual(entry.VaryNames) || i >= MaxVariantsPerKey - 1)
            {
                Unlink(stored, previous);
            }
            else
            {
                previous = stored;
            }
            stored = next;
        }
        var node = _lru.AddFirst(entry);
        node.NextVariant = _byPrimary.GetValueOrDefault(entry.PrimaryKey);
        _byPrimary[entry.PrimaryKey] = node;
        _bytes += entry.Size;
        while (_bytes > _capacity && _lru.Last is { } victim && !ReferenceEquals(victim.Value, entry))
        {
            RemoveNode(victim);
            Statistics.RecordEviction();
        }
    }

    // Caller holds _lock. Appends a node as the resource's least recently stored variant.
    private void AppendVariant(LruNode<CachedResponse> node)
    {
        string primaryKey = node.Value.PrimaryKey;
        if (_byPrimary.GetValueOrDefault(primaryKey) is not { } last)
        {
            _byPrimary.Add(primaryKey, node);
            return;
        }
        while (last.NextVariant is { } next)
        {
            last = next;
        }
        last.NextVariant = node;
    }

    // Caller holds _lock. The node stored under the same key as entry, if any.
    private LruNode<CachedResponse>? Find(CachedResponse entry)
    {
        for (var node = _byPrimary.GetValueOrDefault(entry.PrimaryKey); node is not null; node = node.NextVariant)
        {
            if (node.Value.Key == entry.Key)
            {
                return node;
            }
        }
        return null;
    }

    // Caller holds _lock. The node holding exactly this entry object, if it is still stored (not replaced or dropped).
    private LruNode<CachedResponse>? FindExactly(CachedResponse entry) =>
        Find(entry) is { } node && ReferenceEquals(node.Value, entry) ? node : null;

    // Caller holds _lock. Removes exactly this entry object if it is still stored.
    private void RemoveEntry(CachedResponse entry)
    {
        if (FindExactly(entry) is { } node)
        {
            RemoveNode(node);
        }
    }

    // Caller holds _lock. The node must be stored.
    private void RemoveNode(LruNode<CachedResponse> node)
    {
        LruNode<CachedResponse>? previous = null;
        for (var at = _byPrimary[node.Value.PrimaryKey]; !ReferenceEquals(at, node); at = at.NextVariant!)
        {
            previous = at;
        }
        Unlink(node, previous);
    }

    // Caller holds _lock. previous is the variant before node in its chain, null when node is the first.
    private void Unlink(LruNode<CachedResponse> node, LruNode<CachedResponse>? previous)
    {
        if (previous is not null)
        {
            previous.NextVariant = node.NextVariant;
        }
        else if (node.NextVariant is { } next)
        {
            _byPrimary[node.Value.PrimaryKey] = next;
        }
        else
        {
            _byPrimary.Remove(node.Value.PrimaryKey);
        }
        node.NextVariant = null;
        _lru.Remove(node);
        if (_writing is { } writing && node.SnapshotSlot >= 0)
        {
            Volatile.Write(ref writing[node.SnapshotSlot], null);
        }
        _bytes -= node.Value.Size;
        _droppedBytes += node.Value.Size; // replaced, evicted or purged: garbage once no hit or flush still holds it
    }
}
