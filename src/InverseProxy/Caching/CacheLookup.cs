namespace InverseProxy.Caching;

/// <summary>
/// What <see cref="ResponseCache.Lookup"/> found, with the request directives it judged by and the time it judged
/// the entry at (a hit's Age and ttl are reckoned from it too: one clock read per hit).
/// </summary>
internal readonly record struct CacheLookup(CacheLookupKind Kind, CachedResponse? Entry, CacheRequestDirectives Directives, DateTimeOffset JudgedAt = default)
{
    public bool IsHit => Kind == CacheLookupKind.Fresh;

    /// <summary>A stale entry may be served while it is revalidated in the background (RFC 5861 §3).</summary>
    public bool MayServeWhileRevalidating(DateTimeOffset now) =>
        Kind == CacheLookupKind.Stale && Entry is not null && CachePolicy.WithinStaleWindow(Entry, Entry.StaleWhileRevalidate, now);

    /// <summary>A stale entry may be served when revalidation failed with an error (RFC 5861 §4).</summary>
    public bool MayServeOnError(DateTimeOffset now) =>
        Kind == CacheLookupKind.Stale && Entry is not null && CachePolicy.WithinStaleWindow(Entry, Entry.StaleIfError, now);
}
