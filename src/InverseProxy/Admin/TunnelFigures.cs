using InverseProxy.Proxy;

namespace InverseProxy.Admin;

/// <summary>The "tunnels" object of /proxy-stats: tunnels, the forward proxy and proxy authentication.</summary>
internal sealed record TunnelFigures(long Open, long Opened, long BytesUp, long BytesDown, long RefusedDestinations, long ProxyAuthChallenges)
{
    public static TunnelFigures Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static TunnelFigures From(TunnelCounters c) =>
        new(c.Open, c.Opened, c.BytesUp, c.BytesDown, c.RefusedDestinations, c.AuthenticationChallenges);
}
