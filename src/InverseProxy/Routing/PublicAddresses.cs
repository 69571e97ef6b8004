using System.Net;

namespace InverseProxy.Routing;

/// <summary>
/// The addresses a forward proxy may reach by default: none of this host's own, private or special-purpose ranges
/// (RFC 6890), so a client cannot use the proxy to reach what sits behind it, cloud metadata included.
/// </summary>
internal static class PublicAddresses
{
    private static readonly IPNetwork[] s_refused =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network" (RFC 791)
        IPNetwork.Parse("10.0.0.0/8"),       // RFC 1918
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT (RFC 6598)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, 169.254.169.254 metadata among them (RFC 3927)
        IPNetwork.Parse("172.16.0.0/12"),    // RFC 1918
        IPNetwork.Parse("192.168.0.0/16"),   // RFC 1918
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, broadcast among them
        IPNetwork.Parse("::/128"),           // unspecified
        IPNetwork.Parse("::1/128"),          // loopback
        IPNetwork.Parse("fc00::/7"),         // unique local (RFC 4193)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    public static bool IsPublic(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in s_refused)
        {
            if (network.Contains(plain))
            {
                return false;
            }
        }
        return true;
    }
}
