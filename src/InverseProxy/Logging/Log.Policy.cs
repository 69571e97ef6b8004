using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Traffic policy events (filters, rate limits): 1340-1359, inside the request-path range.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1340, Level = LogLevel.Information, Message = "site {Site}: {Rule} denied {Method} {Authority} {Target} from {Client}")]
    internal static partial void RequestDenied(ILogger logger, string site, string rule, string method, string authority, string target, string client);

    [LoggerMessage(EventId = 1341, Level = LogLevel.Warning, Message = "site {Site}: deny_user_agents took longer than {LimitMs}ms on a User-Agent from {Client}; counted as a match")]
    internal static partial void UserAgentRuleTimedOut(ILogger logger, string site, double limitMs, string client);

    [LoggerMessage(EventId = 1342, Level = LogLevel.Debug, Message = "site {Site}: client {Client} over rate_limit {Limit}: {Method} {Target} answered 429")]
    internal static partial void RateLimited(ILogger logger, string site, System.Net.IPAddress client, Proxy.Policy.RateLimit limit, string method, string target);
}
