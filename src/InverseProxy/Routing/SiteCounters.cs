namespace InverseProxy.Routing;

/// <summary>Per-site request figures for /proxy-stats and /metrics; kept across reloads while the site exists.</summary>
internal sealed class SiteCounters
{
    private long _requests;
    private long _hits;
    private long _misses;
    private long _errors;
    private long _refused;
    private long _filtered;
    private long _rateLimited;
    private long _compressed;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Answered from the cache without the target (fresh, stale-while-revalidate, revalidated).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Looked up in the cache and forwarded.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Answered 5xx by the proxy or the target.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Templated targets refused (bad shape, outside allow_targets, unresolvable): answered 421.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Answered deny_status by a request filter rule.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    public void RecordFiltered() => Interlocked.Increment(ref _filtered);

    /// <summary>Answered 429 because the client was over rate_limit.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public void RecordRateLimited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>Responses sent gzip or br by the proxy: encoded on the way, or a stored encoded copy served.</summary>
    public long Compressed => Interlocked.Read(ref _compressed);

    public void RecordCompressed() => Interlocked.Increment(ref _compressed);

    public void RecordRequest() => Interlocked.Increment(ref _requests);

    public void RecordHit() => Interlocked.Increment(ref _hits);

    public void RecordMiss() => Interlocked.Increment(ref _misses);

    public void RecordError() => Interlocked.Increment(ref _errors);

    public void RecordRefused() => Interlocked.Increment(ref _refused);
}
