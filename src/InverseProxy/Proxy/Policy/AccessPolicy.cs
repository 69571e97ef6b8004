using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// Stage: the access policy of the routed request's site. A request that breaks a filter rule is answered
/// <c>deny_status</c> here, before the cache is looked up or any target contacted; the rule is logged and counted.
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
