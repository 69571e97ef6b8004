using System.Net;
using InverseProxy.Http;

namespace InverseProxy.Proxy.Policy;

/// <summary>The address a rate limit counts: the peer's, or what a trusted proxy in front says in X-Forwarded-For.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// The peer, unless it is in <paramref name="trusted"/>: then the right-most X-Forwarded-For address that is not
    /// itself trusted (the left part of the list is whatever the client wrote, so only what trusted hops appended is
    /// believed). A list that is all trusted gives its left-most address; a malformed entry ends the walk at the peer.
    /// </summary>
    public static IPAddress For(IPAddress peer, HttpHeaders headers, IReadOnlyList<IPNetwork> trusted)
    {
        if (trusted.Count == 0)
        {
            return peer;
        }
        peer = Normal(peer);
        if (!InAny(trusted, peer) || headers.GetCombined("X-Forwarded-For") is not { } list)
        {
            return peer;
        }
        ReadOnlySpan<char> rest = list;
        IPAddress client = peer;
        while (!rest.IsEmpty)
        {
            int comma = rest.LastIndexOf(',');
            var item = rest[(comma + 1)..].Trim();
            rest = comma < 0 ? [] : rest[..comma];
            if (!IPAddress.TryParse(item, out var address))
            {
                return client;
            }
            client = Normal(address);
            if (!InAny(trusted, client))
            {
                return client;
            }
        }
        return client;
    }

    public static bool InAny(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        for (int i = 0; i < networks.Count; i++)
        {
            if (networks[i].Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
