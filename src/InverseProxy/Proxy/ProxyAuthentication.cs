using System.Runtime.CompilerServices;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// The access policy stage for proxy authentication (RFC 9110 §11.7): when the site's proxy_auth_users is set, a
/// request without valid Basic credentials in Proxy-Authorization gets 407 with a Proxy-Authenticate challenge.
/// The users file is loaded once per configuration snapshot (SIGHUP loads it again).
/// </summary>
internal sealed class ProxyAuthentication
{
    private readonly ConditionalWeakTable<ProxyOptions, ProxyUsers> _loaded = new();
    private readonly TunnelCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ProxyAuthentication(TunnelCounters counters, ILogger logger, TimeProvider time)
    {
        _counters = counters;
        _logger = logger;
        _time = time;
    }

    /// <summary>True when the request may go on; otherwise it has been answered 407.</summary>
    public bool Allows(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var settings = request.Site?.Settings;
        if (settings is null || settings.ProxyAuthUsers.Length == 0)
        {
            return true;
        }
        var users = _loaded.GetValue(settings, s => ProxyUsers.Load(s.ProxyAuthUsers, _time));
        string? header = request.Client.Headers.Get("Proxy-Authorization");
        if (users.Verify(header, out string? user))
        {
            return true;
        }
        _counters.Challenged();
        if (header is not null)
        {
            Log.ProxyAuthenticationFailed(_logger, user ?? "(unreadable)", client.RemoteText, request.Method, request.Authority);
        }
        if (framing.Kind != BodyKind.None)
        {
            outcome.KeepAlive = false;
        }
        outcome.Status = 407;
        LocalResponse.Write(client.Writer, 407, "proxy authentication required", close: !outcome.KeepAlive, headOnly: request.IsHead,
            extraHeader: $"Proxy-Authenticate: Basic realm=\"{settings.ProxyAuthRealm}\", charset=\"UTF-8\"");
        return false;
    }
}
