using System.Net;
using System.Net.Sockets;

namespace InverseProxy.Http;

/// <summary>
/// A request's authority, validated and normalised once (RFC 9112 §3.2–3.3, RFC 3986 §3.2.2–3.2.3): a reg-name
/// restricted to DNS characters, an IPv4 address or a bracketed IPv6 address, and an optional port. No userinfo, path,
/// query, spaces, commas or control bytes; an empty port is refused. Normal form: host lower-cased, a trailing dot
/// dropped, IPv6 in its canonical text, the scheme's default port dropped. Pure; allocates only when the text is not
/// already in normal form.
/// </summary>
internal static class Authority
{
    /// <summary>RFC 1035's limit on a name, which is also plenty for an address literal.</summary>
    public const int MaxHostLength = 253;

    /// <summary>
    /// Validates <paramref name="text"/> as <c>host[:port]</c>. On success <paramref name="authority"/> is its normal
    /// form (the same instance when already normal) and <paramref name="hostLength"/> the length of its host part.
    /// </summary>
    public static bool TryNormalize(string text, int defaultPort, out string authority, out int hostLength)
    {
        authority = "";
        hostLength = 0;
        if (!TrySplit(text, out int hostEnd, out int port))
        {
            return false;
        }
        ReadOnlySpan<char> host = text.AsSpan(0, hostEnd);
        bool dropPort = port == defaultPort;
        if (host[0] == '[')
        {
            string canonical = "[" + ParseIPv6(host[1..^1])!.ToString() + "]";
            authority = dropPort || port < 0 ? canonical : canonical + text[hostEnd..];
            hostLength = canonical.Length;
            return true;
        }
        bool trailingDot = host[^1] == '.';
        if (!trailingDot && !dropPort && !HasUpper(host))
        {
            authority = text;
            hostLength = hostEnd;
            return true;
        }
        string normalHost = (trailingDot ? host[..^1] : host).ToString().ToLowerInvariant();
        authority = dropPort || port < 0 ? normalHost : normalHost + text[hostEnd..];
        hostLength = normalHost.Length;
        return true;
    }

    /// <summary>The host part of a normalised authority (brackets kept for IPv6).</summary>
    public static string HostOf(string authority, int hostLength) =>
        hostLength == authority.Length ? authority : authority[..hostLength];

    /// <summary>Checks the syntax; <paramref name="port"/> is -1 when none is given.</summary>
    private static bool TrySplit(string text, out int hostEnd, out int port)
    {
        hostEnd = 0;
        port = -1;
        if (text.Length == 0)
        {
            return false;
        }
        int colon;
        if (text[0] == '[')
        {
            int close = text.IndexOf(']');
            if (close < 0 || ParseIPv6(text.AsSpan(1, close - 1)) is null)
            {
                return false;
            }
            hostEnd = close + 1;
            colon = hostEnd == text.Length ? -1 : hostEnd;
            if (colon >= 0 && text[colon] != ':')
            {
                return false;
            }
        }
        else
        {
            colon = text.IndexOf(':');
            hostEnd = colon < 0 ? text.Length : colon;
            if (!IsRegName(text.AsSpan(0, hostEnd)))
            {
                return false;
            }
        }
        return colon < 0 || TryParsePort(text.AsSpan(colon + 1), out port);
    }

    /// <summary>DNS labels of letters, digits, '-' and '_' separated by single dots, one trailing dot allowed.</summary>
    private static bool IsRegName(ReadOnlySpan<char> host)
    {
        if (host.Length == 0 || (host[^1] == '.' ? host.Length - 1 : host.Length) > MaxHostLength)
        {
            return false;
        }
        int labelLength = 0;
        foreach (char c in host)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }
                labelLength = 0;
                continue;
            }
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
            labelLength++;
        }
        // A trailing dot alone is fine ("example.com."); a lone "." is not a name.
        return labelLength > 0 || host.Length > 1;
    }

    /// <summary>1 to 5 digits, 1–65535. An empty port ("host:") is refused.</summary>
    private static bool TryParsePort(ReadOnlySpan<char> digits, out int port)
    {
        port = 0;
        if (digits.Length is 0 or > 5)
        {
            return false;
        }
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            port = (port * 10) + (c - '0');
        }
        return port is >= 1 and <= 65535;
    }

    /// <summary>An IPv6 literal without a zone (RFC 3986 has none; RFC 6874's are not for requests).</summary>
    private static IPAddress? ParseIPv6(ReadOnlySpan<char> inside) =>
        inside.IndexOf('%') < 0 && inside.Length <= 45 && IPAddress.TryParse(inside, out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6 ? address : null;

    private static bool HasUpper(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return true;
            }
        }
        return false;
    }
}
