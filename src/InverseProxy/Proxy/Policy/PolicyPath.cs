namespace InverseProxy.Proxy.Policy;

/// <summary>The path that path rules read: the query cut off, and percent-encoded unreserved characters decoded.</summary>
internal static class PolicyPath
{
    /// <summary>
    /// RFC 3986 §6.2.2.2: <c>%61dmin</c> and <c>admin</c> are the same path, so a rule for one must catch the other.
    /// Other escapes (%2F among them) stay as sent: the origin does not read them as the characters they encode.
    /// Allocates only when the path holds such an escape.
    /// </summary>
    public static ReadOnlySpan<char> Of(string pathAndQuery)
    {
        ReadOnlySpan<char> path = pathAndQuery;
        int query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }
        return path.Contains('%') ? Decode(path) : path;
    }

    private static string Decode(ReadOnlySpan<char> path)
    {
        var text = new System.Text.StringBuilder(path.Length);
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length && TryUnreserved(path[i + 1], path[i + 2], out char c))
            {
                text.Append(c);
                i += 2;
            }
            else
            {
                text.Append(path[i]);
            }
        }
        return text.ToString();
    }

    private static bool TryUnreserved(char high, char low, out char decoded)
    {
        decoded = '\0';
        if (!char.IsAsciiHexDigit(high) || !char.IsAsciiHexDigit(low))
        {
            return false;
        }
        decoded = (char)((HexValue(high) << 4) | HexValue(low));
        return char.IsAsciiLetterOrDigit(decoded) || decoded is '-' or '.' or '_' or '~';
    }

    private static int HexValue(char c) => char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}
