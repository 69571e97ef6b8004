using System.Text;
using InverseProxy.Compression;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// Cache keys (RFC 9111 §2, §4.1). The primary key is scheme://authority + path-and-query of the effective request:
/// the authority validated and normalised once (see <see cref="Http.Authority"/>), so one resource has one key whatever
/// form the client wrote it in. A site other than the default prefixes its name and a space, which no URI holds, so
/// sites never share entries. GET and HEAD share a key. A response with Vary gets a secondary key: the primary key
/// followed, per varied request header (names lower-cased and sorted), by <c>\nname=value</c>, or <c>\nname</c> when
/// the request lacked the header. Header values cannot hold a line feed, so the key splits back unambiguously.
/// </summary>
internal static class CacheKey
{
    public const char VarySeparator = '\n';

    /// <summary>Between a site's name and the URI in a site's keys.</summary>
    public const char SiteSeparator = ' ';

    private const int RecentSlots = 1024;

    // Keys derived lately, shared by all connections. Racy by design, as RecentStrings: a slot is replaced whole.
    private static readonly DerivedKey?[] s_recent = new DerivedKey?[RecentSlots];

    /// <summary>
    /// The primary key for a normalised authority and an origin-form target. A key derived lately from equal strings
    /// is returned again, so that a new connection's first request allocates nothing.
    /// </summary>
    public static string Primary(string sitePrefix, string scheme, string authority, string pathAndQuery)
    {
        ref var recent = ref s_recent[(int)((uint)HashCode.Combine(authority, pathAndQuery) % RecentSlots)];
        var derived = Volatile.Read(ref recent);
        if (derived is not null && derived.Authority == authority && derived.Path == pathAndQuery
            && derived.Scheme == scheme && derived.Prefix == sitePrefix)
        {
            return derived.Key;
        }
        string key = sitePrefix.Length == 0
            ? string.Concat(scheme, "://", authority, pathAndQuery)
            : $"{sitePrefix}{SiteSeparator}{scheme}://{authority}{pathAndQuery}";
        Volatile.Write(ref recent, new DerivedKey(sitePrefix, scheme, authority, pathAndQuery, key));
        return key;
    }

    /// <summary>A site's prefix and the URI part of a primary key.</summary>
    public static (string Prefix, string Uri) SplitSite(string primary)
    {
        int scheme = primary.IndexOf("://", StringComparison.Ordinal);
        int space = primary.IndexOf(SiteSeparator);
        return space >= 0 && (scheme < 0 || space < scheme) ? (primary[..space], primary[(space + 1)..]) : ("", primary);
    }

    /// <summary>Lower-cases the host and drops an empty or default port (80 for http, 443 for https).</summary>
    public static string NormalizeHost(string scheme, string host)
    {
        host = host.Trim().ToLowerInvariant();
        int colon = host.LastIndexOf(':');
        if (colon < 0 || host.IndexOf(']', colon) >= 0)
        {
            return host;
        }
        string port = host[(colon + 1)..];
        bool isDefault = port.Length == 0
            || (port == "80" && scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
            || (port == "443" && scheme.Equals("https", StringComparison.OrdinalIgnoreCase));
        return isDefault ? host[..colon] : host;
    }

    /// <summary>
    /// Starts the Accept-Encoding value of a variant whose coding the proxy negotiated: the value is then this mark
    /// and the coding's token (<c>\u0001br</c>), and it selects every request that negotiates the same coding, so
    /// "gzip, deflate, br" and "br, gzip" share one entry. A request's own value can never start so (field values
    /// hold no control characters, RFC 9110 §5.5), so no client can store a variant that is selected this way.
    /// </summary>
    public const char NegotiatedMark = '\u0001';

    /// <summary>
    /// The key for a response varying on <paramref name="varyNames"/> (sorted, lower-case) to a request;
    /// <paramref name="negotiated"/> is the coding the proxy chose for it, if it negotiated it.
    /// </summary>
    public static string WithVariant(string primary, string[] varyNames, HttpHeaders requestHeaders, ContentCoding? negotiated = null)
    {
        if (varyNames.Length == 0)
        {
            return primary;
        }
        var builder = new StringBuilder(primary);
        foreach (string name in varyNames)
        {
            builder.Append(VarySeparator).Append(name);
            string? value = negotiated is { } coding && name == "accept-encoding"
                ? NegotiatedMark + coding.Token()
                : VaryValue(requestHeaders, name);
            if (value is not null)
            {
                builder.Append('=').Append(value);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// The request's value for a varied header (<paramref name="name"/> lower-cased): all lines joined and trimmed;
    /// null when absent. Accept-Encoding and Accept-Language are lists of case-insensitive tokens whose order and
    /// spacing mean nothing (RFC 9110 §12.5.3, §12.5.4): their members are lower-cased, stripped of whitespace and
    /// sorted, so "gzip, br" and "BR,gzip" select the same variant (§4.1 of RFC 9111 allows normalising).
    /// </summary>
    public static string? VaryValue(HttpHeaders requestHeaders, string name)
    {
        string? value = requestHeaders.GetCombined(name)?.Trim();
        return value is not null && name is "accept-encoding" or "accept-language" ? NormalizeList(value) : value;
    }

    private static string NormalizeList(string value)
    {
        var members = value.Split(',');
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = string.Concat(members[i].Where(c => c is not (' ' or '\t'))).ToLowerInvariant();
        }
        var kept = members.Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return string.Join(',', kept);
    }

    /// <summary>Splits a key back into its primary part and the varied header names and values.</summary>
    public static bool TrySplit(string key, out string primary, out string[] names, out string?[] values)
    {
        if (key.IndexOf(VarySeparator) < 0)
        {
            // Most entries do not vary: they share the empty arrays instead of holding two of their own.
            primary = key;
            names = [];
            values = [];
            return key.Length > 0;
        }
        string[] parts = key.Split(VarySeparator);
        primary = parts[0];
        names = new string[parts.Length - 1];
        values = new string?[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            names[i - 1] = eq < 0 ? parts[i] : parts[i][..eq];
            values[i - 1] = eq < 0 ? null : parts[i][(eq + 1)..];
            if (names[i - 1].Length == 0)
            {
                return false;
            }
        }
        return primary.Length > 0;
    }

    /// <summary>
    /// Splits an absolute-form target (RFC 9112 §3.2.2) into scheme, authority and path-and-query;
    /// false for any other form.
    /// </summary>
    public static bool TrySplitAbsolute(string target, out string scheme, out string authority, out string pathAndQuery)
    {
        scheme = authority = pathAndQuery = "";
        int sep = target.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0 || target[0] == '/')
        {
            return false;
        }
        scheme = target[..sep].ToLowerInvariant();
        int start = sep + 3;
        int end = target.IndexOfAny(['/', '?', '#'], start);
        authority = end < 0 ? target[start..] : target[start..end];
        int at = authority.LastIndexOf('@');
        authority = at < 0 ? authority : authority[(at + 1)..];
        pathAndQuery = end < 0 ? "/" : target[end..];
        int fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        pathAndQuery = fragment < 0 ? pathAndQuery : pathAndQuery[..fragment];
        if (pathAndQuery.StartsWith('?'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }
        return true;
    }

    private sealed record DerivedKey(string Prefix, string Scheme, string Authority, string Path, string Key);
}
