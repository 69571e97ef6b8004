using InverseProxy.Routing;

namespace InverseProxy.Proxy;

/// <summary>
/// Which requests go to the authority they name rather than to a site's targets. CONNECT (with connect on) always
/// does. An absolute-form request (RFC 9112 §3.2.2; with forward_proxy on) does when no [site] section lists its host:
/// a host a section lists keeps going to that section's targets, and origin-form requests to the sites as before.
/// </summary>
internal static class ForwardRoute
{
    private const int HttpPort = 80;

    /// <summary>The forward site for <paramref name="request"/>, or null to keep <paramref name="routed"/>.</summary>
    public static Site? Choose(ProxyRequest request, Site? routed)
    {
        var sites = request.Config.Sites;
        if (sites.Forward is not { } forward)
        {
            return null;
        }
        var options = request.Config.Options;
        if (request.Method == "CONNECT")
        {
            return options.Connect ? forward : null;
        }
        string target = request.Client.Target;
        bool absolute = target.Length > 0 && target[0] != '/' && target != "*";
        return options.ForwardProxy && absolute && (routed is null || routed == sites.Default) ? forward : null;
    }

    /// <summary>host:port to connect to: the authority with the scheme's port made explicit.</summary>
    public static string Destination(ProxyRequest request) =>
        request.Authority.Length > request.Host.Length ? request.Authority : request.Authority + ":" + HttpPort;

    /// <summary>Why a CONNECT may not go to its port (connect_ports), or null.</summary>
    public static string? RefusedPort(ProxyRequest request)
    {
        if (request.Method != "CONNECT")
        {
            return null;
        }
        string destination = Destination(request);
        int colon = destination.LastIndexOf(':');
        bool parsed = int.TryParse(destination.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port);
        return parsed && request.Config.Options.ConnectPorts.Contains(port) ? null : $"port is not in connect_ports";
    }
}
