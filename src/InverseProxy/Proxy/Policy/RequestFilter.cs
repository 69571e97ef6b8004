using System.Net;
using System.Text.RegularExpressions;
using InverseProxy.Configuration;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// One site's request filtering rules, compiled from its settings when the configuration snapshot is built, so a
/// reload (SIGHUP) compiles them and reads <c>deny_hosts_file</c> again. Immutable; shared by all client threads.
/// </summary>
internal sealed class RequestFilter
{
    public static readonly RequestFilter None = new([], [], [], null, null, null, 403);

    private readonly string[] _methods;
    private readonly IPNetwork[] _allow;
    private readonly IPNetwork[] _deny;
    private readonly Regex? _paths;
    private readonly UserAgentRule? _userAgents;
    private readonly DomainSet? _hosts;

    private RequestFilter(string[] methods, IPNetwork[] allow, IPNetwork[] deny, Regex? paths, UserAgentRule? userAgents, DomainSet? hosts, int status)
    {
        _methods = methods;
        _allow = allow;
        _deny = deny;
        _paths = paths;
        _userAgents = userAgents;
        _hosts = hosts;
        Status = status;
        IsEmpty = methods.Length == 0 && allow.Length == 0 && deny.Length == 0 && paths is null && userAgents is null && hosts is null;
    }

    /// <summary>No rule is set: the policy stage costs one field read.</summary>
    public bool IsEmpty { get; }

    /// <summary><c>deny_status</c>.</summary>
    public int Status { get; }

    /// <summary>The rules of <paramref name="settings"/>; <paramref name="hostsFiles"/> loads a domain file once per snapshot.</summary>
    public static RequestFilter From(ProxyOptions settings, Func<string, DomainSet> hostsFiles)
    {
        UserAgentRule.TryCreate(settings.DenyUserAgents, out var userAgents, out _); // validated already
        var hosts = settings.DenyHostsFile.Length == 0 ? null : hostsFiles(settings.DenyHostsFile);
        var filter = new RequestFilter(
            [.. settings.DenyMethods], [.. settings.AllowClients], [.. settings.DenyClients],
            PathGlob.Compile(settings.DenyPaths), userAgents, hosts, settings.DenyStatus);
        return filter.IsEmpty && filter.Status == None.Status ? None : filter;
    }

    /// <summary>The key of the first rule <paramref name="request"/> breaks, or null when it passes.</summary>
    public FilterMatch Check(ProxyRequest request, IPAddress client)
    {
        if (IsEmpty)
        {
            return default;
        }
        if (_allow.Length > 0 || _deny.Length > 0)
        {
            var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
            if (_allow.Length > 0 && !Contains(_allow, address))
            {
                return new("allow_clients", FilterVerdict.Match);
            }
            if (Contains(_deny, address))
            {
                return new("deny_clients", FilterVerdict.Match);
            }
        }
        if (Array.IndexOf(_methods, request.Method) >= 0)
        {
            return new("deny_methods", FilterVerdict.Match);
        }
        if (_hosts is not null && _hosts.Contains(request.Host))
        {
            return new("deny_hosts_file", FilterVerdict.Match);
        }
        if (_paths is not null && _paths.IsMatch(PolicyPath.Of(request.PathAndQuery)))
        {
            return new("deny_paths", FilterVerdict.Match);
        }
        if (_userAgents is not null && request.Client.Headers.Get("User-Agent") is { } userAgent)
        {
            var verdict = _userAgents.Test(userAgent);
            if (verdict != FilterVerdict.Miss)
            {
                return new("deny_user_agents", verdict);
            }
        }
        return default;
    }

    private static bool Contains(IPNetwork[] networks, IPAddress address)
    {
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The rule (its key) a request broke and how; a default value means it passed.</summary>
internal readonly record struct FilterMatch(string? Rule, FilterVerdict Verdict)
{
    public bool Denied => Rule is not null;
}
