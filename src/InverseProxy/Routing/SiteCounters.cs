namespace InverseProxy.Routing;

/// <summary>Per-site request figures for /proxy-stats and /metrics; kept across reloads while the site exists.</summary>
internal sealed class SiteCounters
{
    private const int RequestsCounter = 0;
    private const int HitsCounter = 1;
    private const int MissesCounter = 2;
    private const int ErrorsCounter = 3;
    private const int RefusedCounter = 4;
    private const int FilteredCounter = 5;
    private const int RateLimitedCounter = 6;
    private const int CompressedCounter = 7;

    // Requests and hits are counted on every request by every connection thread: striped per processor.
    private readonly Metrics.StripedCounters _counters = new(8);

    public long Requests => _counters.Read(RequestsCounter);

    /// <summary>Answered from the cache without the target (fresh, stale-while-revalidate, revalidated).</summary>
    public long Hits => _counters.Read(HitsCounter);

    /// <summary>Looked up in the cache and forwarded.</summary>
    public long Misses => _counters.Read(MissesCounter);

    /// <summary>Answered 5xx by the proxy or the target.</summary>
    public long Errors => _counters.Read(ErrorsCounter);

    /// <summary>Templated targets refused (bad shape, outside allow_targets, unresolvable): answered 421.</summary>
    public long Refused => _counters.Read(RefusedCounter);

    /// <summary>Answered deny_status by a request filter rule.</summary>
    public long Filtered => _counters.Read(FilteredCounter);

    public void RecordFiltered() => _counters.Increment(FilteredCounter);

    /// <summary>Answered 429 because the client was over rate_limit.</summary>
    public long RateLimited => _counters.Read(RateLimitedCounter);

    public void RecordRateLimited() => _counters.Increment(RateLimitedCounter);

    /// <summary>Responses sent gzip or br by the proxy: encoded on the way, or a stored encoded copy served.</summary>
    public long Compressed => _counters.Read(CompressedCounter);

    public void RecordCompressed() => _counters.Increment(CompressedCounter);

    public void RecordRequest() => _counters.Increment(RequestsCounter);

    public void RecordHit() => _counters.Increment(HitsCounter);

    public void RecordMiss() => _counters.Increment(MissesCounter);

    public void RecordError() => _counters.Increment(ErrorsCounter);

    public void RecordRefused() => _counters.Increment(RefusedCounter);
}
