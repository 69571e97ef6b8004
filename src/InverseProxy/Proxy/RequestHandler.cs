using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Caching;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// Serves one parsed request on a client connection. Steps:
/// (1) decide the request's body framing (smuggling rules) and bound it; (2) answer Expect: 100-continue;
/// (3) answer what the proxy handles itself (PURGE, CONNECT); (4) serve GET/HEAD through the cache, or
/// (5) forward to a target and relay the response; (6) tell the connection whether it may carry another request.
/// Shared by all client threads: holds no per-request state.
/// </summary>
internal sealed partial class RequestHandler
{
    private readonly ProxyOptions _options;
    private readonly Forwarder _forwarder;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResponseCache? _cache;
    private readonly RequestCoalescer _coalescer = new();
    private readonly UncacheableKeys _uncacheable;
    private readonly Revalidator? _revalidator;

    public RequestHandler(ProxyOptions options, Forwarder forwarder, ResponseCache? cache, ILogger logger, TimeProvider time)
    {
        _options = options;
        _forwarder = forwarder;
        _cache = cache is { Enabled: true } ? cache : null;
        _logger = logger;
        _time = time;
        _uncacheable = new UncacheableKeys(time);
        _revalidator = _cache is null ? null : new Revalidator(_cache, forwarder, options.MaxEntrySize, time, logger);
    }

    /// <summary>Handles <paramref name="request"/>; throws <see cref="HttpParseException"/> for a request that must get 4xx and close.</summary>
    public void Handle(ClientSession client, RequestHead request, RequestOutcome outcome)
    {
        // Step 1: framing is decided once; a smuggling-prone request never reaches a target.
        var framing = BodyFramingRules.ForRequest(request);
        if (_options.MaxRequestBodyBytes > 0 && framing.Kind == BodyKind.ContentLength && framing.Length > _options.MaxRequestBodyBytes)
        {
            throw new HttpParseException(HttpParseError.BodyTooLarge, $"Content-Length {framing.Length}");
        }
        outcome.KeepAlive = WantsKeepAlive(request) && !client.Draining;
        var bodyReader = BodyReader.For(client.Reader, framing, _options.MaxRequestBodyBytes);

        // Step 2
        if (!AnswerExpectation(client, request, framing, outcome))
        {
            return;
        }
        // Step 3
        if (request.Method == "PURGE")
        {
            AnswerPurge(client, request, outcome, framing);
            return;
        }
        if (request.Method == "CONNECT")
        {
            Answer(client, outcome, 405, "CONNECT is not supported by this reverse proxy", close: framing.Kind != BodyKind.None);
            return;
        }
        // Steps 4 and 5
        Serve(client, request, bodyReader, outcome);

        // Step 6: a body left unread would be taken for the next request.
        if (!bodyReader.IsComplete)
        {
            outcome.KeepAlive = false;
        }
    }

    /// <summary>Forwards to a target and relays the response; the cache partial routes GET/HEAD through the cache first.</summary>
    private void Serve(ClientSession client, RequestHead request, BodyReader bodyReader, RequestOutcome outcome)
    {
        if (TryServeThroughCache(client, request, bodyReader, outcome))
        {
            return;
        }
        var body = RequestBody.Prepare(bodyReader, _options.RequestBufferSize);
        var upstream = UpstreamRequest.Build(request, client, _options.UpstreamHost, bodyReader.Framing.Kind);
        var result = _forwarder.Forward(upstream, body, client.Upstream);
        if (!result.Succeeded)
        {
            outcome.KeepAlive &= bodyReader.IsComplete; // an unread body would be taken for the next request
            AnswerForwardError(client, request, result, outcome);
            return;
        }
        var response = result.Response!;
        // RFC 9111 §4.4: a successful unsafe request invalidates what is stored for its URI. Done before relaying,
        // so a client that has seen the response cannot then be served the entry it replaced.
        if (_cache is not null && !request.IsGet && !request.IsHead)
        {
            _cache.InvalidateAfterUnsafe(request, Scheme, response.StatusCode, response.Headers);
        }
        Relay(client, request, result, outcome, capture: null);
    }

    /// <summary>Step 2: RFC 9110 §10.1.1. We answer 100 ourselves and never send Expect upstream.</summary>
    private static bool AnswerExpectation(ClientSession client, RequestHead request, BodyFraming framing, RequestOutcome outcome)
    {
        string? expect = request.Headers.Get("Expect");
        if (expect is null)
        {
            return true;
        }
        if (!expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            Answer(client, outcome, 417, "only 'Expect: 100-continue' is supported", close: true);
            return false;
        }
        if (request.Version == HttpVersion.Http11 && framing.Kind != BodyKind.None && client.Reader.BufferedCount == 0)
        {
            client.Writer.Send(LocalResponse.Continue);
        }
        return true;
    }

    /// <summary>PURGE removes every stored variant of the URI; only from purge_allowed addresses (off by default).</summary>
    private void AnswerPurge(ClientSession client, RequestHead request, RequestOutcome outcome, BodyFraming framing)
    {
        bool close = framing.Kind != BodyKind.None;
        if (!_options.PurgeAllowed.Any(a => a.Equals(client.RemoteAddress)))
        {
            Answer(client, outcome, 403, "PURGE is not allowed from this address", close);
            return;
        }
        int removed = _cache?.Invalidate(Scheme, request.Headers.Get("Host") ?? "", request.Target) ?? 0;
        outcome.Cache = CacheResult.Bypass;
        Answer(client, outcome, removed > 0 ? 200 : 404, removed > 0 ? $"purged {removed} stored response(s)" : "not in cache", close);
    }

    private void AnswerForwardError(ClientSession client, RequestHead request, ForwardResult result, RequestOutcome outcome)
    {
        int status = result.Error.ToStatusCode();
        if (status == 0)
        {
            outcome.KeepAlive = false;
            return;
        }
        Log.ForwardFailed(_logger, request.Method, request.Target, result.Error.ToString(), result.Detail ?? "");
        Answer(client, outcome, status, $"{status} {HttpParseErrors.ReasonPhrase(status)}: {result.Error.Describe()}", close: !outcome.KeepAlive, headOnly: request.IsHead);
    }

    private static void Answer(ClientSession client, RequestOutcome outcome, int status, string text, bool close, bool headOnly = false)
    {
        if (close)
        {
            outcome.KeepAlive = false;
        }
        outcome.Status = status;
        LocalResponse.Write(client.Writer, status, text, close: !outcome.KeepAlive, headOnly);
    }

    private static bool WantsKeepAlive(RequestHead request) =>
        request.Version == HttpVersion.Http11
            ? !HopByHopHeaders.ConnectionHasToken(request.Headers, "close")
            : HopByHopHeaders.ConnectionHasToken(request.Headers, "keep-alive");
}
