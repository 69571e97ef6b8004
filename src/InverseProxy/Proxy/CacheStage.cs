using InverseProxy.Caching;
using InverseProxy.Compression;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

/// <summary>
/// The cache stages of the request path, for GET and HEAD without a body on a site whose cache is on: look up; serve
/// a fresh entry from memory; serve a stale one while revalidating (stale-while-revalidate) or validate it with the
/// target first; fetch a miss once for all concurrent askers (collapsed forwarding); and store what RFC 9111 allows,
/// as an explicit step of the relay (<see cref="PendingStore"/>).
/// </summary>
internal sealed class CacheStage
{
    private static readonly TimeSpan CoalesceWait = TimeSpan.FromSeconds(10);

    private readonly ResponseCache _cache;
    private readonly Forwarder _forwarder;
    private readonly ResponseRelay _relay;
    private readonly LocalAnswers _answers;
    private readonly Revalidator _revalidator;
    private readonly TimeProvider _time;
    private readonly RequestCoalescer _coalescer = new();
    private readonly RequestCoalescer _revalidations = new();
    private readonly UncacheableKeys _uncacheable;

    public CacheStage(ResponseCache cache, Forwarder forwarder, ResponseRelay relay, LocalAnswers answers, Revalidator revalidator, TimeProvider time)
    {
        _cache = cache;
        _forwarder = forwarder;
        _relay = relay;
        _answers = answers;
        _revalidator = revalidator;
        _time = time;
        _uncacheable = new UncacheableKeys(time);
    }

    public static bool Applies(ProxyRequest request, BodyReader body) =>
        (request.IsGet || request.IsHead) && body.Framing.Kind == BodyKind.None && request.Site is { Cache: true };

    /// <summary>Answers <paramref name="request"/> through the cache (see <see cref="Applies"/>).</summary>
    public void Serve(ClientSession client, ProxyRequest request, RequestOutcome outcome)
    {
        if (ConditionalRequest.MustGoToTarget(request.Client.Headers))
        {
            var directives = CacheRequestDirectives.Parse(request.Client.Headers);
            Fetch(client, request, outcome, new CacheLookup(CacheLookupKind.Miss, null, directives));
            return;
        }
        var lookup = _cache.Lookup(request.CacheKey, request.Client);
        if (lookup.Kind == CacheLookupKind.Miss && _cache.SecondLevel is { } shared)
        {
            lookup = shared.Lookup(request.CacheKey, request.Client, lookup);
        }
        var entry = lookup.Entry;
        switch (lookup.Kind)
        {
            case CacheLookupKind.Fresh:
                ServeStored(client, request, entry!, outcome, CacheResult.Hit, "hit", lookup.JudgedAt);
                return;
            case CacheLookupKind.Stale when lookup.MayServeWhileRevalidating(lookup.JudgedAt):
                _cache.RecordStaleServed();
                ServeStored(client, request, entry!, outcome, CacheResult.Stale, "fwd=stale; detail=revalidating");
                _revalidator.Start(request, client.RemoteText, entry!);
                return;
            case CacheLookupKind.Stale or CacheLookupKind.MustRevalidate:
                Revalidate(client, request, outcome, lookup);
                return;
            default:
                if (lookup.Directives.OnlyIfCached)
                {
                    // RFC 9111 §5.2.1.7: only-if-cached with nothing stored gets 504.
                    LocalAnswers.Answer(client, outcome, 504, "not in cache (only-if-cached)", close: false, headOnly: request.IsHead);
                    return;
                }
                ServeMiss(client, request, outcome, lookup);
                return;
        }
    }

    /// <summary>A miss: the first asker fetches; concurrent askers wait for it and are then answered from the cache.</summary>
    private void ServeMiss(ClientSession client, ProxyRequest request, RequestOutcome outcome, CacheLookup lookup)
    {
        string key = request.CacheKey;
        if (_uncacheable.Contains(key))
        {
            Fetch(client, request, outcome, lookup, key);
            return;
        }
        using var ticket = _coalescer.Join(key);
        if (!ticket.IsLeader && ticket.Wait(CoalesceWait))
        {
            var again = _cache.Lookup(key, request.Client);
            if (again.Kind == CacheLookupKind.Fresh)
            {
                ServeStored(client, request, again.Entry!, outcome, CacheResult.Hit, "hit; detail=collapsed");
                return;
            }
        }
        Fetch(client, request, outcome, lookup, key, ticket);
    }

    /// <summary>
    /// A stored entry that must be validated (stale, or the request said no-cache): one validation at a time per
    /// entry; requests arriving meanwhile wait for it and are answered with what it stored, as misses are.
    /// </summary>
    private void Revalidate(ClientSession client, ProxyRequest request, RequestOutcome outcome, CacheLookup lookup)
    {
        var stored = lookup.Entry!;
        using var ticket = _revalidations.Join(stored.Key);
        if (!ticket.IsLeader && ticket.Wait(CoalesceWait))
        {
            var again = _cache.Lookup(request.CacheKey, request.Client);
            if (again.Entry is { } renewed && !ReferenceEquals(renewed, stored) && renewed.IsFreshAt(_time.GetUtcNow()))
            {
                ServeStored(client, request, renewed, outcome, CacheResult.Revalidated, "fwd=stale; detail=collapsed");
                return;
            }
        }
        Fetch(client, request, outcome, lookup, ticket: ticket);
    }

    /// <summary>Forwards (conditionally, when a stored entry has validators), relays, and stores what may be stored.</summary>
    /// <param name="missKey">The primary key when nothing was stored: whether this response is stored decides
    /// whether later misses on the key are collapsed.</param>
    /// <param name="ticket">The leader's place in a collapsed miss: released as soon as the head shows nothing will be stored.</param>
    private void Fetch(ClientSession client, ProxyRequest request, RequestOutcome outcome, CacheLookup lookup, string? missKey = null, CoalesceTicket? ticket = null)
    {
        var stored = lookup.Entry;
        var requestTime = _time.GetUtcNow();
        var upstream = UpstreamRequest.Build(request, client.RemoteText, client.UpstreamHead);
        bool conditional = stored is not null && Revalidator.AddValidators(upstream, stored);
        var result = _forwarder.Forward(upstream, RequestBody.Empty, client.Upstream, request.Targets!, request.Config.Options, client.Interim);
        if (!result.Succeeded)
        {
            if (lookup.MayServeOnError(_time.GetUtcNow()))
            {
                _cache.RecordStaleServed();
                ServeStored(client, request, stored!, outcome, CacheResult.Stale, "fwd=stale; detail=target-error");
                return;
            }
            _answers.ForwardFailed(client, request, result, outcome);
            return;
        }
        var response = result.Response!;
        var responseTime = _time.GetUtcNow();
        if (conditional && response.StatusCode == 304)
        {
            var refreshed = _cache.Refresh(request.CacheKey, request.Client, stored!, response, requestTime, responseTime, request.Site!.Policy);
            _forwarder.Release(result.Connection!, response, BodyFraming.None, bodyComplete: true);
            ServeStored(client, request, refreshed, outcome, CacheResult.Revalidated, "fwd=stale; fwd-status=304");
            return;
        }
        if (response.StatusCode >= 500 && lookup.MayServeOnError(responseTime))
        {
            UpstreamPool.Discard(result.Connection!);
            _cache.RecordStaleServed();
            ServeStored(client, request, stored!, outcome, CacheResult.Stale, $"fwd=stale; fwd-status={response.StatusCode}");
            return;
        }
        RelayAndStore(client, request, result, outcome, lookup, missKey, ticket, requestTime, responseTime);
    }

    private void RelayAndStore(ClientSession client, ProxyRequest request, ForwardResult result, RequestOutcome outcome, CacheLookup lookup, string? missKey, CoalesceTicket? ticket, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        var response = result.Response!;
        var site = request.Site!;
        if (request.IsHead && response.StatusCode == 200 && lookup.Entry is { } stored && StoredHeaders.DescribeSameResponse(stored, response.Headers))
        {
            // RFC 9111 §4.3.5: a HEAD response updates the stored GET response it describes, as a 304 would.
            _cache.Refresh(request.CacheKey, request.Client, stored, response, requestTime, responseTime, site.Policy);
        }
        var decision = !request.IsGet ? StoreDecision.NotStorable("HEAD")
            : lookup.Directives.NoStore ? StoreDecision.NotStorable("request no-store")
            : TransferCodings.OtherThanChunked(response.Headers) is not null ? StoreDecision.NotStorable("transfer-coding")
            : site.Policy.Evaluate(request.Client, response, requestTime, responseTime);
        // Constant fields for what is not stored: a pass-through request allocates no Cache-Status text.
        string status = lookup.Kind switch
        {
            CacheLookupKind.Miss => "InverseProxy; fwd=miss",
            CacheLookupKind.MustRevalidate => "InverseProxy; fwd=request",
            _ => "InverseProxy; fwd=stale",
        };
        if (!decision.IsStorable)
        {
            // Nothing will be stored: the askers waiting on this fetch go to the target now, not after the whole
            // body (a long stream would hold them all), and later misses on the key are not collapsed.
            if (missKey is not null && request.IsGet)
            {
                _uncacheable.Mark(missKey);
            }
            ticket?.Complete();
        }
        // The coding is decided before the store step: the cache keeps what this client is sent.
        var compression = site.Compression.Plan(request.Client, response);
        // The store step: what the response is stored as comes from the effective request alone.
        using var store = decision.IsStorable
            ? new PendingStore(_cache, request.CacheKey, request.Client, response, decision, site.Settings.MaxEntrySize, compression)
            : null;
        if (store is not null)
        {
            status = $"{status}; stored; ttl={(long)decision.Lifetime.TotalSeconds}";
        }
        outcome.Cache = CacheResult.Miss;
        site.Counters.RecordMiss();
        var relayed = _relay.Relay(client, request, result, outcome, new CacheHeaders("MISS", status), store, compression);
        if (missKey is not null && request.IsGet)
        {
            if (relayed.Stored)
            {
                _uncacheable.Forget(missKey);
            }
            else
            {
                _uncacheable.Mark(missKey);
            }
        }
    }

    /// <param name="now">The time the entry was judged fresh at, when the caller has it; otherwise now.</param>
    private void ServeStored(ClientSession client, ProxyRequest request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset? now = null)
    {
        var at = now ?? _time.GetUtcNow();
        request.Site!.Counters.RecordHit();
        if (ConditionalRequest.IsNotModified(request.Client.Headers, entry))
        {
            StoredResponseWriter.WriteNotModified(client, request.Client, entry, outcome, result, cacheStatus, at);
            return;
        }
        var range = RangeRequest.Evaluate(request.Client.Headers, entry, out long start, out long length);
        if (range != RangeAnswer.Whole)
        {
            StoredResponseWriter.WriteRange(client, request.Client, entry, range, start, length, outcome, result, cacheStatus, at);
            return;
        }
        if (!request.IsHead && entry.NegotiatedCoding is ContentCoding.Gzip or ContentCoding.Brotli)
        {
            request.Site.Counters.RecordCompressed();
        }
        StoredResponseWriter.Write(client, request.Client, entry, outcome, result, cacheStatus, at);
    }
}
