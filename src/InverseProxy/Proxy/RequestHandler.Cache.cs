using System.Buffers;
using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// Step 4 of <see cref="RequestHandler"/>: GET and HEAD through the cache. A fresh entry is written from memory;
/// a stale one is served while revalidating (stale-while-revalidate) or validated with the target first; a miss is
/// fetched once for all concurrent askers (collapsed forwarding) and stored when RFC 9111 allows it.
/// </summary>
internal sealed partial class RequestHandler
{
    private const string Scheme = "http";
    private static readonly TimeSpan CoalesceWait = TimeSpan.FromSeconds(10);

    private bool TryServeThroughCache(ClientSession client, RequestHead request, BodyReader bodyReader, RequestOutcome outcome)
    {
        if (_cache is null || !_cache.Enabled || !(request.IsGet || request.IsHead) || bodyReader.Framing.Kind != BodyKind.None)
        {
            return false;
        }
        var lookup = _cache.Lookup(request, Scheme);
        var entry = lookup.Entry;
        switch (lookup.Kind)
        {
            case CacheLookupKind.Fresh:
                ServeStored(client, request, entry!, outcome, CacheResult.Hit, "hit");
                return true;
            case CacheLookupKind.Stale when lookup.MayServeWhileRevalidating(_time.GetUtcNow()):
                _cache.RecordStaleServed();
                ServeStored(client, request, entry!, outcome, CacheResult.Stale, "fwd=stale; detail=revalidating");
                _revalidator!.Start(request, entry!);
                return true;
            case CacheLookupKind.Stale or CacheLookupKind.MustRevalidate:
                FetchThroughCache(client, request, outcome, lookup);
                return true;
            default:
                if (lookup.Directives.OnlyIfCached)
                {
                    // RFC 9111 §5.2.1.7: only-if-cached with nothing stored gets 504.
                    Answer(client, outcome, 504, "not in cache (only-if-cached)", close: false, headOnly: request.IsHead);
                    return true;
                }
                ServeMiss(client, request, outcome, lookup);
                return true;
        }
    }

    /// <summary>A miss: the first asker fetches; concurrent askers wait for it and are then answered from the cache.</summary>
    private void ServeMiss(ClientSession client, RequestHead request, RequestOutcome outcome, CacheLookup lookup)
    {
        string key = CacheKey.Primary(request, Scheme);
        if (_uncacheable.Contains(key))
        {
            FetchThroughCache(client, request, outcome, lookup, key);
            return;
        }
        using var ticket = _coalescer.Join(key);
        if (!ticket.IsLeader && ticket.Wait(CoalesceWait))
        {
            var again = _cache!.Lookup(request, Scheme);
            if (again.Kind == CacheLookupKind.Fresh)
            {
                ServeStored(client, request, again.Entry!, outcome, CacheResult.Hit, "hit; detail=collapsed");
                return;
            }
        }
        FetchThroughCache(client, request, outcome, lookup, key);
    }

    /// <summary>Forwards (conditionally, when a stored entry has validators) and stores what may be stored.</summary>
    /// <param name="missKey">The primary key when nothing was stored: whether this response is stored decides
    /// whether later misses on the key are collapsed.</param>
    private void FetchThroughCache(ClientSession client, RequestHead request, RequestOutcome outcome, CacheLookup lookup, string? missKey = null)
    {
        var cache = _cache!;
        var stored = lookup.Entry;
        var requestTime = _time.GetUtcNow();
        var upstream = UpstreamRequest.Build(request, client, _options.UpstreamHost);
        bool conditional = stored is not null && Revalidator.AddValidators(upstream, stored);
        var result = _forwarder.Forward(upstream, RequestBody.Empty, client.Upstream);
        if (!result.Succeeded)
        {
            if (lookup.MayServeOnError(_time.GetUtcNow()))
            {
                cache.RecordStaleServed();
                ServeStored(client, request, stored!, outcome, CacheResult.Stale, "fwd=stale; detail=target-error");
                return;
            }
            AnswerForwardError(client, request, result, outcome);
            return;
        }
        var response = result.Response!;
        var responseTime = _time.GetUtcNow();
        if (conditional && response.StatusCode == 304)
        {
            var refreshed = cache.Refresh(request, Scheme, stored!, response, requestTime, responseTime);
            _forwarder.Release(result.Connection!, response, BodyFraming.None, bodyComplete: true);
            ServeStored(client, request, refreshed, outcome, CacheResult.Revalidated, "fwd=stale; fwd-status=304");
            return;
        }
        if (response.StatusCode >= 500 && lookup.MayServeOnError(responseTime))
        {
            Upstream.UpstreamPool.Discard(result.Connection!);
            cache.RecordStaleServed();
            ServeStored(client, request, stored!, outcome, CacheResult.Stale, $"fwd=stale; fwd-status={response.StatusCode}");
            return;
        }
        RelayAndStore(client, request, result, outcome, lookup, missKey, requestTime, responseTime);
    }

    private void RelayAndStore(ClientSession client, RequestHead request, ForwardResult result, RequestOutcome outcome, CacheLookup lookup, string? missKey, DateTimeOffset requestTime, DateTimeOffset responseTime)
    {
        var cache = _cache!;
        var response = result.Response!;
        var decision = !request.IsGet ? StoreDecision.NotStorable("HEAD")
            : lookup.Directives.NoStore ? StoreDecision.NotStorable("request no-store")
            : OtherTransferCodings(response.Headers) is not null ? StoreDecision.NotStorable("transfer-coding")
            : cache.Evaluate(request, response, requestTime, responseTime);
        // Constant fields for what is not stored: a pass-through request allocates no Cache-Status text.
        string status = lookup.Kind switch
        {
            CacheLookupKind.Miss => "InverseProxy; fwd=miss",
            CacheLookupKind.MustRevalidate => "InverseProxy; fwd=request",
            _ => "InverseProxy; fwd=stale",
        };
        ResponseCapture? capture = null;
        if (decision.IsStorable)
        {
            capture = CaptureForStore(request, response, decision);
            status = $"{status}; stored; ttl={(long)decision.Lifetime.TotalSeconds}";
        }
        outcome.Cache = CacheResult.Miss;
        Relay(client, request, result, outcome, capture, new CacheHeaders("MISS", status));
        if (missKey is not null && request.IsGet)
        {
            if (capture is { Stored: true })
            {
                _uncacheable.Forget(missKey);
            }
            else
            {
                _uncacheable.Mark(missKey);
            }
        }
    }

    /// <summary>A capture that stores the body once it is complete; made only for a storable response.</summary>
    private ResponseCapture CaptureForStore(RequestHead request, ResponseHead response, StoreDecision decision)
    {
        var capture = new ResponseCapture(_options.MaxEntrySize, ContentLength(response));
        var cache = _cache!;
        capture.Completed = body => capture.Stored = cache.Store(request, Scheme, response, body, decision) is not null;
        return capture;
    }

    /// <summary>Writes a stored response: its head bytes, Age and cache fields, and its body, in one gathered write.</summary>
    private void ServeStored(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus)
    {
        outcome.Cache = result;
        outcome.Status = entry.StatusCode;
        // Written piece by piece into the connection's head buffer: a hit allocates nothing here.
        var head = client.Writer.Head;
        var now = _time.GetUtcNow();
        head.Write(entry.HeadBytes);
        head.Write("Age: "u8);
        WriteNumber(head, (long)entry.AgeAt(now).TotalSeconds);
        head.Write("\r\nVia: 1.1 inverseproxy\r\nCache-Status: InverseProxy; "u8);
        SocketWriter.WriteLatin1(head, cacheStatus);
        head.Write("; ttl="u8);
        WriteNumber(head, (long)(entry.ExpiresAt - now).TotalSeconds);
        head.Write(result switch
        {
            CacheResult.Hit => "\r\nX-Cache: HIT\r\n"u8,
            CacheResult.Stale => "\r\nX-Cache: STALE\r\n"u8,
            _ => "\r\nX-Cache: MISS\r\n"u8,
        });
        if (!outcome.KeepAlive)
        {
            head.Write("Connection: close\r\n"u8);
        }
        else if (request.Version == HttpVersion.Http10)
        {
            head.Write("Connection: keep-alive\r\n"u8);
        }
        head.Write("\r\n"u8);
        var body = request.IsHead ? ReadOnlyMemory<byte>.Empty : entry.Body;
        client.Writer.SendHead(body);
        outcome.BodyBytes = body.Length;
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(20), out int written);
        output.Advance(written);
    }

    private static long ContentLength(ResponseHead response) =>
        long.TryParse(response.Headers.Get("Content-Length"), out long length) ? length : -1;
}
