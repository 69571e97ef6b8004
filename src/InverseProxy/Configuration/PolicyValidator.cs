using InverseProxy.Http;
using InverseProxy.Proxy.Policy;

namespace InverseProxy.Configuration;

/// <summary>The checks of the traffic policy keys, at top level and in a <c>[site:NAME]</c> section that sets them.</summary>
internal static class PolicyValidator
{
    public static readonly string[] Keys = ["deny_paths", "deny_methods", "deny_user_agents", "deny_hosts_file", "deny_status", "rate_limit_burst"];

    public static void Check(OptionChecker check, ProxyOptions o)
    {
        foreach (string glob in o.DenyPaths)
        {
            check.Item(PathGlob.IsValid(glob), "deny_paths", glob, "must be a path glob starting with / or *, like /admin/** or /*.php");
        }
        foreach (string method in o.DenyMethods)
        {
            check.Item(HttpChars.IsToken(method), "deny_methods", method, "must be a method name like TRACE");
        }
        check.That(UserAgentRule.TryCreate(o.DenyUserAgents, out _, out string? error), $"a .NET regular expression ({error})", "deny_user_agents");
        if (o.DenyHostsFile.Length > 0)
        {
            check.Path(o.DenyHostsFile, "deny_hosts_file"); // that it exists is checked once resolved (ConfigLoader)
        }
        check.That(o.DenyStatus is 403 or 404, "403 or 404", "deny_status");
        check.That(o.RateLimitBurst is >= 0 and <= 1_000_000, "between 0 (the count of rate_limit) and 1000000", "rate_limit_burst");
        check.That(o.RateLimitClients is >= 1 and <= 10_000_000, "between 1 and 10000000", "rate_limit_clients");
    }
}
