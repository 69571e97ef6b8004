namespace InverseProxy.Http;

/// <summary>Connection-specific fields that must not be forwarded (RFC 9110 §7.6.1).</summary>
/// <remarks>
/// Proxy-Authorization and Proxy-Authenticate are left alone on purpose: deciding about them is not this
/// type's business. Transfer-Encoding is removed: whoever forwards a body sets its own framing.
/// </remarks>
internal static class HopByHopHeaders
{
    private static readonly string[] s_alwaysRemoved =
        ["Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection"];

    // A client could name these in Connection to make us drop them while the body is still forwarded with the
    // framing they declared (or with no Host): never removed on a Connection token's say-so.
    private static readonly string[] s_protected = ["Content-Length", "Host"];

    /// <summary>Removes Connection, every field it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Connection.</summary>
    public static void Strip(HttpHeaders headers)
    {
        string? connection = headers.GetCombined("Connection");
        int i = 0;
        while (i < headers.Count)
        {
            string name = headers[i].Name;
            if (IsOneOf(name, s_alwaysRemoved)
                || (connection is not null && !IsOneOf(name, s_protected) && HttpListElements.Contains(connection, name)))
            {
                // Removes every field of this name; none of them sit before i, as they would have gone already.
                headers.Remove(name);
                continue;
            }
            i++;
        }
    }

    /// <summary>True if any Connection field lists <paramref name="token"/> ("close", "keep-alive", "upgrade"...).</summary>
    public static bool ConnectionHasToken(HttpHeaders headers, string token)
    {
        foreach (var field in headers)
        {
            if (string.Equals(field.Name, "Connection", StringComparison.OrdinalIgnoreCase)
                && HttpListElements.Contains(field.Value, token))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsOneOf(string name, string[] names)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
