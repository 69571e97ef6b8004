using System.Net;
using System.Net.Sockets;
using InverseProxy.Configuration;
using InverseProxy.Upstream;

namespace InverseProxy.Routing;

/// <summary>
/// A site's <c>target_template</c>: makes the target for a request from what the wildcard matched, resolves it once,
/// and admits it only when <c>allow_targets</c> does. The targets made are kept in the shared
/// <see cref="DynamicTargetRegistry"/>, each with its own pool and health.
/// </summary>
internal sealed class DynamicTargets
{
    private readonly string _site;
    private readonly string _template;
    private readonly TargetAllowList _allow;
    private readonly DynamicTargetRegistry _registry;

    public DynamicTargets(string site, string template, TargetAllowList allow, DynamicTargetRegistry registry)
    {
        _site = site;
        _template = template;
        _allow = allow;
        _registry = registry;
    }

    public string Template => _template;

    public TargetAllowList Allow => _allow;

    /// <summary>
    /// The target for <paramref name="label"/>, or null with the reason it was refused: the result is not host:port,
    /// the name does not resolve, or neither the name nor the address it resolved to is allowed.
    /// </summary>
    public RoundRobinSelector? Resolve(string label, out string? refusal)
    {
        refusal = null;
        string text = _template.Replace("{1}", label, StringComparison.Ordinal);
        if (_registry.TryGet(_site, text) is { } known)
        {
            return known;
        }
        if (!EndpointParsers.TryParseTarget(text, out var endPoint))
        {
            refusal = $"'{text}' is not host:port";
            return null;
        }
        IPAddress? address = IPAddress.TryParse(endPoint.Host, out var literal) ? literal : null;
        if (address is null)
        {
            try
            {
                // Resolved once here and connected to as resolved: the address checked is the address used.
                address = Dns.GetHostAddresses(endPoint.Host).FirstOrDefault();
            }
            catch (SocketException e)
            {
                refusal = $"'{endPoint.Host}' does not resolve ({e.SocketErrorCode})";
                return null;
            }
            if (address is null)
            {
                refusal = $"'{endPoint.Host}' resolves to no address";
                return null;
            }
        }
        if (!_allow.AllowsName(endPoint.Host) && !_allow.AllowsAddress(address))
        {
            refusal = $"'{text}' ({address}) is outside allow_targets";
            return null;
        }
        return _registry.Add(_site, text, endPoint, new IPEndPoint(address, endPoint.Port));
    }
}
