using System.Text;

namespace InverseProxy.Http;

/// <summary>
/// Reuses one string instance for methods, header names and values seen on almost every message, so a parse
/// allocates only for the uncommon ones. Matches are exact (case kept): a name sent as "content-length" maps
/// to its own lowercase instance, never to "Content-Length".
/// </summary>
internal static class KnownStrings
{
    private const int MaxLength = 32;

    private static readonly string[][] s_methods = BuildTable(
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");

    private static readonly string[][] s_headerNames = BuildTable(WithLowercase(
        "Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept", "Accept-Encoding",
        "Accept-Language", "Accept-Ranges", "User-Agent", "Cache-Control", "Pragma", "Cookie", "Set-Cookie", "Date",
        "Server", "Expires", "Last-Modified", "ETag", "If-None-Match", "If-Modified-Since", "If-Match", "Range",
        "Content-Range", "Content-Encoding", "Authorization", "Referer", "Origin", "Upgrade", "Keep-Alive", "TE",
        "Trailer", "Vary", "Age", "Location", "Via", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
        "X-Request-Id", "Proxy-Connection", "Upgrade-Insecure-Requests", "Sec-Fetch-Mode", "Sec-Fetch-Site",
        "Sec-Fetch-Dest", "Access-Control-Allow-Origin", "Strict-Transport-Security", "X-Content-Type-Options"));

    private static readonly string[][] s_headerValues = BuildTable(
        "close", "keep-alive", "chunked", "*/*", "gzip", "gzip, deflate", "gzip, deflate, br", "no-cache",
        "max-age=0", "bytes", "0", "text/html", "text/plain", "application/json", "text/html; charset=utf-8",
        "application/json; charset=utf-8", "Accept-Encoding", "nosniff", "1", "upgrade", "websocket");

    public static string Method(ReadOnlySpan<byte> bytes) => Lookup(s_methods, bytes) ?? Encoding.ASCII.GetString(bytes);

    public static string HeaderName(ReadOnlySpan<byte> bytes) => Lookup(s_headerNames, bytes) ?? RecentStrings.Get(bytes);

    /// <summary>
    /// Field values are decoded as Latin-1 so obs-text bytes survive a round trip unchanged. Credentials are never
    /// kept in the shared <see cref="RecentStrings"/> table, so they live no longer than their request.
    /// </summary>
    public static string HeaderValue(string name, ReadOnlySpan<byte> bytes) =>
        Lookup(s_headerValues, bytes)
        ?? (IsCredential(name) ? Encoding.Latin1.GetString(bytes) : RecentStrings.Get(bytes));

    private static bool IsCredential(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase);

    private static string? Lookup(string[][] table, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0)
        {
            return string.Empty;
        }
        if (bytes.Length >= table.Length)
        {
            return null;
        }
        foreach (string candidate in table[bytes.Length])
        {
            if (Matches(candidate, bytes))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool Matches(string candidate, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (candidate[i] != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    private static string[] WithLowercase(params string[] names) =>
        names.Concat(names.Select(n => n.ToLowerInvariant())).Distinct(StringComparer.Ordinal).ToArray();

    private static string[][] BuildTable(params string[] strings)
    {
        var table = new string[MaxLength + 1][];
        for (int length = 0; length <= MaxLength; length++)
        {
            table[length] = strings.Where(s => s.Length == length).ToArray();
        }
        return table;
    }
}
