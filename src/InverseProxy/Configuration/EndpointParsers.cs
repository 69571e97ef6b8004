using System.Net;
using System.Net.Sockets;

namespace InverseProxy.Configuration;

/// <summary>Addresses and host:port lists as written in proxy.conf.</summary>
internal static class EndpointParsers
{
    public const string TargetExpectation = "must be host:port (port 1-65535)";

    /// <summary>
    /// An IPv4 address in full dotted form, an IPv6 address (brackets optional) or <c>localhost</c> (127.0.0.1).
    /// Short IPv4 forms such as "1" or "127.1" are refused: IPAddress.TryParse would read them as 0.0.0.1 and 127.0.0.1.
    /// </summary>
    public static bool TryParseAddress(string text, out IPAddress address)
    {
        var trimmed = text.Trim();
        address = IPAddress.None;
        if (trimmed.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        if (!trimmed.Contains(':') && !IsDottedQuad(trimmed))
        {
            return false;
        }

        if (!IPAddress.TryParse(trimmed, out var parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>One target: <c>name:port</c>, <c>1.2.3.4:port</c> or <c>[v6]:port</c>. The host is kept without brackets.</summary>
    public static bool TryParseTarget(string text, out DnsEndPoint endPoint)
    {
        endPoint = null!;
        var trimmed = text.Trim();
        string host;
        string portText;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = trimmed[1..close];
            portText = trimmed[(close + 2)..];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            host = trimmed[..colon];
            portText = trimmed[(colon + 1)..];
            if (host.Contains(':') || Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        if (!ValueParsers.TryParseCount(portText, out var port) || portText.Trim() != portText || port is < 1 or > 65535)
        {
            return false;
        }

        endPoint = new DnsEndPoint(host, port);
        return true;
    }

    public static string FormatTarget(DnsEndPoint endPoint)
    {
        return endPoint.Host.Contains(':') ? $"[{endPoint.Host}]:{endPoint.Port}" : $"{endPoint.Host}:{endPoint.Port}";
    }

    public static bool SameTarget(DnsEndPoint a, DnsEndPoint b)
    {
        return a.Port == b.Port && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits a comma-separated list; an empty list yields no items, blank items are kept for the caller to refuse.</summary>
    public static string[] SplitList(string text)
    {
        return string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.TrimEntries);
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }
}
