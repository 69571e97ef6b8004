using System.Net;

namespace InverseProxy.Routing;

/// <summary>
/// <c>allow_targets</c>: where targets made from a template may point. CIDR entries admit a resolved address inside
/// them; name entries admit that name and every name under it ("svc.internal" admits "a.svc.internal"). A name is
/// checked by its suffix first; otherwise the address it resolved to, the one connected to, decides. The entry
/// <c>public</c> admits every address outside the private and special ranges (<see cref="PublicAddresses"/>).
/// </summary>
internal sealed class TargetAllowList
{
    private readonly IPNetwork[] _networks;
    private readonly string[] _names;
    private readonly bool _public;

    private TargetAllowList(IPNetwork[] networks, string[] names, bool publicAddresses = false)
    {
        _networks = networks;
        _names = names;
        _public = publicAddresses;
    }

    public const string PublicEntry = "public";

    public static TargetAllowList Empty { get; } = new([], []);

    public bool IsEmpty => _networks.Length == 0 && _names.Length == 0 && !_public;

    /// <summary>Parses comma-separated entries; the ones that are neither a CIDR nor a name go to <paramref name="invalid"/>.</summary>
    public static TargetAllowList Parse(IEnumerable<string> items, List<string> invalid)
    {
        var networks = new List<IPNetwork>();
        var names = new List<string>();
        bool publicAddresses = false;
        foreach (string item in items)
        {
            if (item.Equals(PublicEntry, StringComparison.OrdinalIgnoreCase))
            {
                publicAddresses = true;
            }
            else if (item.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (HostPattern.TryParse(item.TrimStart('.'), out var name) && !name.IsWildcard && !name.Text.StartsWith('['))
            {
                names.Add(name.Text);
            }
            else
            {
                invalid.Add(item);
            }
        }
        return new TargetAllowList(networks.ToArray(), names.ToArray(), publicAddresses);
    }

    /// <summary>True when the name itself is admitted, whatever it resolves to.</summary>
    public bool AllowsName(string host)
    {
        foreach (string name in _names)
        {
            if (host.Equals(name, StringComparison.OrdinalIgnoreCase)
                || (host.Length > name.Length && host.EndsWith(name, StringComparison.OrdinalIgnoreCase) && host[^(name.Length + 1)] == '.'))
            {
                return true;
            }
        }
        return false;
    }

    public bool AllowsAddress(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_public && PublicAddresses.IsPublic(plain))
        {
            return true;
        }
        foreach (var network in _networks)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() =>
        string.Join(", ", (_public ? [PublicEntry] : Array.Empty<string>()).Concat(_networks.Select(n => n.ToString())).Concat(_names));
}
