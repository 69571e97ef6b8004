using InverseProxy.Caching;
using InverseProxy.Compression;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// Validates stored responses with their target (RFC 9111 §4.3): adds If-None-Match / If-Modified-Since, and in the
/// background refreshes entries served under stale-while-revalidate (RFC 5861 §3), one fetch per entry at a time.
/// </summary>
internal sealed class Revalidator
{
    private readonly ResponseCache _cache;
    private readonly Forwarder _forwarder;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Revalidator(ResponseCache cache, Forwarder forwarder, TimeProvider time, ILogger logger)
    {
        _cache = cache;
        _forwarder = forwarder;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Adds the stored entry's validators to <paramref name="upstream"/>, unless the client sent conditions of its
    /// own (then its 304 is its own to receive). True if the request became conditional.
    /// </summary>
    public static bool AddValidators(RequestHead upstream, CachedResponse stored)
    {
        var headers = upstream.Headers;
        if (headers.Contains("If-None-Match") || headers.Contains("If-Modified-Since"))
        {
            return false;
        }
        if (stored.ETag is not null)
        {
            headers.Add("If-None-Match", stored.ETag);
        }
        if (stored.LastModified is not null)
        {
            headers.Add("If-Modified-Since", stored.LastModified);
        }
        return stored.ETag is not null || stored.LastModified is not null;
    }

    /// <summary>
    /// Starts a background refresh of <paramref name="stored"/> unless one is already running. It sends what a miss
    /// on <paramref name="request"/> would send, as a GET, with the stored validators in place of the client's.
    /// </summary>
    public void Start(ProxyRequest request, string clientAddress, CachedResponse stored)
    {
        if (!stored.TryClaimRefresh())
        {
            return;
        }
        var copy = request.Detach("GET");
        copy.Client.Headers.Remove("If-None-Match");
        copy.Client.Headers.Remove("If-Modified-Since");
        ThreadPool.UnsafeQueueUserWorkItem(_ => Refresh(copy, clientAddress, stored), null);
    }

    private void Refresh(ProxyRequest request, string clientAddress, CachedResponse stored)
    {
        bool replaced = false;
        try
        {
            var requestTime = _time.GetUtcNow();
            var upstream = UpstreamRequest.Build(request, clientAddress);
            bool conditional = AddValidators(upstream, stored);
            // A pool thread, not a connection thread: this reader and writer serve the one refresh.
            var result = _forwarder.Forward(upstream, RequestBody.Empty, new UpstreamIo(), request.Targets!, request.Config.Options);
            if (result.Succeeded)
            {
                replaced = Apply(request, stored, result, conditional, requestTime);
            }
        }
        catch (Exception e)
        {
            Log.BackgroundRevalidationFailed(_logger, stored.Key, e.Message);
        }
        finally
        {
            if (!replaced)
            {
                stored.ReleaseRefresh();
            }
        }
    }

    /// <summary>Stores what the refresh brought; true if a new entry took the place of <paramref name="stored"/>.</summary>
    private bool Apply(ProxyRequest request, CachedResponse stored, ForwardResult result, bool conditional, DateTimeOffset requestTime)
    {
        var connection = result.Connection!;
        var response = result.Response!;
        var responseTime = _time.GetUtcNow();
        var policy = request.Site!.Policy;
        if (conditional && response.StatusCode == 304)
        {
            _cache.Refresh(request.CacheKey, request.Client, stored, response, requestTime, responseTime, policy);
            _forwarder.Release(connection, response, BodyFraming.None, bodyComplete: true);
            return true;
        }
        var decision = policy.Evaluate(request.Client, response, requestTime, responseTime);
        long maxEntrySize = request.Site.Settings.MaxEntrySize;
        var framing = BodyFramingRules.ForResponse("GET", response);
        var body = new BodyReader(connection.Reader, framing, maxEntrySize);
        var capture = new ResponseCapture(maxEntrySize, -1);
        try
        {
            while (body.TryRead(out var data))
            {
                capture.Append(data);
            }
        }
        catch (Exception e) when (e is HttpParseException or IOException or System.Net.Sockets.SocketException)
        {
            UpstreamPool.Discard(connection);
            return false;
        }
        bool replaced = false;
        if (decision.IsStorable && !capture.Overflowed)
        {
            // Stored as a miss for the same request would store it: in the coding the proxy negotiates for it.
            var compression = request.Site.Compression.Plan(request.Client, response);
            byte[] whole = capture.ToArray();
            byte[] content = compression is { Encodes: true } ? BodyEncoder.Encode(compression.Coding, whole) : whole;
            if (_cache.Store(request.CacheKey, request.Client, compression?.Head ?? response, content, decision, compression?.Coding, onlyWhileStored: stored) is { } entry)
            {
                _cache.SecondLevel?.Enqueue(entry);
                replaced = true;
            }
        }
        _forwarder.Release(connection, response, framing, bodyComplete: true);
        return replaced;
    }
}
