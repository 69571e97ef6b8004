using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// What the proxy answers itself: 100 Continue and 417, PURGE, CONNECT (405 until tunnels exist), 421 for a Host
/// no site claims, and the 502/504 that a failed forward gets. The one place that writes such answers.
/// </summary>
internal sealed class LocalAnswers
{
    private readonly ResponseCache? _cache;
    private readonly ILogger _logger;

    public LocalAnswers(ResponseCache? cache, ILogger logger)
    {
        _cache = cache;
        _logger = logger;
    }

    /// <summary>RFC 9110 §10.1.1: we answer 100 ourselves and never send Expect upstream. False when answered 417.</summary>
    public static bool Expectation(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var head = request.Client;
        string? expect = head.Headers.Get("Expect");
        client.ContinueSent = false;
        if (expect is null)
        {
            return true;
        }
        if (!expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            Answer(client, outcome, 417, "only 'Expect: 100-continue' is supported", close: true);
            return false;
        }
        if (head.Version == HttpVersion.Http11 && framing.Kind != BodyKind.None && client.Reader.BufferedCount == 0)
        {
            client.Writer.Send(LocalResponse.Continue);
            client.ContinueSent = true;
        }
        return true;
    }

    /// <summary>The methods the proxy answers itself; true when <paramref name="request"/> was one of them.</summary>
    public bool TryAnswer(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        bool close = framing.Kind != BodyKind.None;
        switch (request.Method)
        {
            case "PURGE":
                Purge(client, request, outcome, close);
                return true;
            case "CONNECT" when !request.Config.Options.Connect:
                Answer(client, outcome, 405, "CONNECT is not supported by this reverse proxy", close);
                return true;
            default:
                return false;
        }
    }

    /// <summary>RFC 9110 §15.5.20: no site answers for this Host here.</summary>
    public void Misdirected(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        Log.NoSiteForHost(_logger, request.Authority, client.RemoteText);
        Answer(client, outcome, 421, $"no site is configured for host '{request.Authority}'", close: framing.Kind != BodyKind.None, headOnly: request.IsHead);
    }

    /// <summary>A templated target was refused: 421, one log line, and no connection made.</summary>
    public void TargetRefused(ClientSession client, ProxyRequest request, string reason, BodyFraming framing, RequestOutcome outcome)
    {
        Log.DynamicTargetRefused(_logger, request.Site!.Name, request.Authority, reason);
        request.Site.Counters.RecordRefused();
        Answer(client, outcome, 421, $"no target for host '{request.Authority}'", close: framing.Kind != BodyKind.None, headOnly: request.IsHead);
    }

    /// <summary>A forward-proxy or CONNECT destination outside forward_allow or connect_ports: 403, one log line, no connection made.</summary>
    public void DestinationRefused(ClientSession client, ProxyRequest request, string reason, BodyFraming framing, RequestOutcome outcome)
    {
        Log.DestinationRefused(_logger, request.Method, request.Authority, client.RemoteText, reason);
        request.Site?.Counters.RecordRefused();
        Answer(client, outcome, 403, $"destination '{request.Authority}' is not allowed", close: framing.Kind != BodyKind.None, headOnly: request.IsHead);
    }

    /// <summary>502 or 504 for a forward that failed; a client that went away gets nothing and the connection closes.</summary>
    public void ForwardFailed(ClientSession client, ProxyRequest request, ForwardResult result, RequestOutcome outcome)
    {
        int status = result.Error.ToStatusCode();
        if (status == 0)
        {
            outcome.KeepAlive = false;
            return;
        }
        Log.ForwardFailed(_logger, request.Method, request.Client.Target, result.Error.ToString(), result.Detail ?? "");
        Answer(client, outcome, status, $"{status} {HttpParseErrors.ReasonPhrase(status)}: {result.Error.Describe()}", close: !outcome.KeepAlive, headOnly: request.IsHead);
    }

    public static void Answer(ClientSession client, RequestOutcome outcome, int status, string text, bool close, bool headOnly = false)
    {
        if (close)
        {
            outcome.KeepAlive = false;
        }
        outcome.Status = status;
        LocalResponse.Write(client.Writer, status, text, close: !outcome.KeepAlive, headOnly);
    }

    /// <summary>PURGE removes every stored variant of the effective request's URI; only from purge_allowed addresses.</summary>
    private void Purge(ClientSession client, ProxyRequest request, RequestOutcome outcome, bool close)
    {
        if (!request.Config.Options.PurgeAllowed.Any(a => a.Equals(client.RemoteAddress)))
        {
            Answer(client, outcome, 403, "PURGE is not allowed from this address", close);
            return;
        }
        int removed = _cache?.Invalidate(request.CacheKey) ?? 0;
        _cache?.SecondLevel?.Invalidate(request.CacheKey);
        if (_cache is not null)
        {
            string other = request.OtherSchemeKey;
            removed += _cache.Invalidate(other);
            _cache.SecondLevel?.Invalidate(other);
        }
        outcome.Cache = CacheResult.Bypass;
        Answer(client, outcome, removed > 0 ? 200 : 404, removed > 0 ? $"purged {removed} stored response(s)" : "not in cache", close);
    }
}
