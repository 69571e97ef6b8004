using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// Stage: the access policy of the routed request's site, before the cache is looked up or any target contacted.
/// A request that breaks a filter rule is answered <c>deny_status</c>; then a client over <c>rate_limit</c> is
/// answered 429. Each refusal is logged and counted per site.
/// </summary>
internal sealed class AccessPolicy
{
    private readonly ILogger _logger;

    public AccessPolicy(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>True when the request may go on; otherwise it has been answered.</summary>
    public bool Admit(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        return Filter(client, request, framing, outcome) && WithinRate(client, request, framing, outcome);
    }

    /// <summary>
    /// RFC 6585 §4: over <c>rate_limit</c>, 429 with Retry-After; the target is not contacted. The peer address counts,
    /// or the client a trusted proxy names (see <see cref="ClientAddress"/>).
    /// </summary>
    private bool WithinRate(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var site = request.Site!;
        if (site.Limiter is not { } limiter)
        {
            return true;
        }
        var address = ClientAddress.For(client.RemoteAddress, request.Client.Headers, request.Config.Options.TrustedProxies);
        if (limiter.TryAcquire(address, out int retryAfter))
        {
            return true;
        }
        Log.RateLimited(_logger, site.Name, address, limiter.Limit, request.Method, request.Client.Target);
        site.Counters.RecordRateLimited();
        if (framing.Kind != BodyKind.None)
        {
            outcome.KeepAlive = false;
        }
        outcome.Status = 429;
        LocalResponse.Write(client.Writer, 429, $"429 Too Many Requests: over {limiter.Limit} for this client",
            close: !outcome.KeepAlive, request.IsHead, $"Retry-After: {retryAfter}");
        return false;
    }

    private bool Filter(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var site = request.Site!;
        var match = site.Filter.Check(request, client.RemoteAddress);
        if (!match.Denied)
        {
            return true;
        }
        if (match.Verdict == FilterVerdict.TimedOut)
        {
            Log.UserAgentRuleTimedOut(_logger, site.Name, UserAgentRule.MatchTimeout.TotalMilliseconds, client.RemoteText);
        }
        Log.RequestDenied(_logger, site.Name, match.Rule!, request.Method, request.Authority, request.Client.Target, client.RemoteText);
        site.Counters.RecordFiltered();
        int status = site.Filter.Status;
        LocalAnswers.Answer(client, outcome, status, $"{status} {HttpParseErrors.ReasonPhrase(status)}: refused by policy",
            close: framing.Kind != BodyKind.None, headOnly: request.IsHead);
        return false;
    }
}
