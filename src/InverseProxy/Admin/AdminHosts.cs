using System.Net;

namespace InverseProxy.Admin;

/// <summary>
/// Which Host headers the admin listener answers. A web page can make a browser send requests to a loopback port
/// by pointing its own name at 127.0.0.1 (DNS rebinding); those requests carry the page's name as Host. Only a
/// loopback name (localhost, a loopback address) or the address the listener is bound to or was reached on, each
/// with or without a port, is accepted.
/// </summary>
internal static class AdminHosts
{
    /// <summary>Whether <paramref name="host"/> (the Host field value) names this listener.</summary>
    /// <param name="bound">admin_bind_address.</param>
    /// <param name="local">The address the connection arrived on.</param>
    public static bool IsAllowed(string? host, IPAddress bound, IPAddress? local)
    {
        if (host is null || !TrySplit(host, out string name, out bool bracketed))
        {
            return false;
        }
        if (!bracketed && name.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (!TryParseLiteral(name, bracketed, out var address))
        {
            return false;
        }
        return IPAddress.IsLoopback(address) || Same(address, bound) || (local is not null && Same(address, local));
    }

    /// <summary>Splits "name", "name:port", "[v6]" or "[v6]:port"; false for anything else (RFC 9110 §7.2).</summary>
    private static bool TrySplit(string host, out string name, out bool bracketed)
    {
        name = "";
        bracketed = host.StartsWith('[');
        string rest;
        if (bracketed)
        {
            int close = host.IndexOf(']');
            if (close < 0)
            {
                return false;
            }
            name = host[1..close];
            rest = host[(close + 1)..];
        }
        else
        {
            int colon = host.IndexOf(':');
            name = colon < 0 ? host : host[..colon];
            rest = colon < 0 ? "" : host[colon..];
        }
        return name.Length > 0 && (rest.Length == 0 || (rest.Length is > 1 and <= 6 && rest[0] == ':' && rest[1..].All(char.IsAsciiDigit)));
    }

    /// <summary>An IPv6 literal in brackets or a dotted-quad IPv4 literal; not the short forms IPAddress also takes ("127.1").</summary>
    private static bool TryParseLiteral(string name, bool bracketed, out IPAddress address)
    {
        address = IPAddress.None;
        if (bracketed)
        {
            return IPAddress.TryParse(name, out address!) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }
        return name.Count(c => c == '.') == 3 && name.All(c => c == '.' || char.IsAsciiDigit(c)) && IPAddress.TryParse(name, out address!);
    }

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);
}
