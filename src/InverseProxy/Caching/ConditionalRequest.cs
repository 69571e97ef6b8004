using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// The client's preconditions (RFC 9110 §13) as a cache evaluates them against a stored response (RFC 9111 §4.3.2).
/// Pure: reads the request fields and the stored validators.
/// </summary>
internal static class ConditionalRequest
{
    /// <summary>
    /// If-Match and If-Unmodified-Since guard state changes on the origin: they go to the target, never answered from
    /// the cache.
    /// </summary>
    public static bool MustGoToTarget(HttpHeaders request) =>
        request.Contains("If-Match") || request.Contains("If-Unmodified-Since");

    /// <summary>
    /// True when a GET or HEAD for <paramref name="entry"/> is answered 304: If-None-Match lists its entity tag (weak
    /// comparison, §13.1.2), or, only when If-None-Match is absent, If-Modified-Since is a valid date no earlier than
    /// its Last-Modified (§13.1.3), or its Date when it has none (RFC 9111 §4.3.2).
    /// </summary>
    public static bool IsNotModified(HttpHeaders request, CachedResponse entry)
    {
        // RFC 9110 §13.2.1: preconditions apply only where the response would otherwise be 2xx.
        if (entry.StatusCode is < 200 or > 299)
        {
            return false;
        }
        string? ifNoneMatch = request.GetCombined("If-None-Match");
        if (ifNoneMatch is not null)
        {
            return entry.ETag is not null && ListContainsWeak(ifNoneMatch, entry.ETag);
        }
        if (!HttpDate.TryParse(request.Get("If-Modified-Since"), out var since))
        {
            return false;
        }
        string? modified = entry.LastModified ?? entry.Headers.Get("Date");
        return HttpDate.TryParse(modified, out var lastModified) && lastModified <= since;
    }

    /// <summary>True when <paramref name="validator"/> equals <paramref name="etag"/> strongly: neither is weak (§8.8.3.2).</summary>
    public static bool StrongMatch(string validator, string etag)
    {
        validator = validator.Trim();
        etag = etag.Trim();
        return !IsWeak(validator) && !IsWeak(etag) && IsQuoted(etag) && string.Equals(validator, etag, StringComparison.Ordinal);
    }

    /// <summary>"*" or any listed entity tag whose opaque part equals <paramref name="etag"/>'s, weak or not (§8.8.3.2).</summary>
    private static bool ListContainsWeak(string list, string etag)
    {
        if (list.Trim() == "*")
        {
            return true;
        }
        var stored = Opaque(etag.Trim());
        if (stored.IsEmpty)
        {
            return false;
        }
        int i = 0;
        while (i < list.Length)
        {
            while (i < list.Length && (list[i] is ' ' or '\t' or ','))
            {
                i++;
            }
            int start = i;
            if (i + 1 < list.Length && list[i] == 'W' && list[i + 1] == '/')
            {
                i += 2;
            }
            if (i >= list.Length || list[i] != '"')
            {
                return false; // not an entity-tag list: no match, the request goes on as unconditional
            }
            int close = list.IndexOf('"', i + 1);
            if (close < 0)
            {
                return false;
            }
            if (Opaque(list[start..(close + 1)]).SequenceEqual(stored))
            {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    private static bool IsWeak(string etag) => etag.StartsWith("W/", StringComparison.Ordinal);

    private static bool IsQuoted(ReadOnlySpan<char> tag) => tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"';

    // The quoted opaque-tag, without any W/ prefix; empty when the value is not an entity-tag.
    private static ReadOnlySpan<char> Opaque(string etag)
    {
        var tag = IsWeak(etag) ? etag.AsSpan(2) : etag.AsSpan();
        return IsQuoted(tag) ? tag : ReadOnlySpan<char>.Empty;
    }
}
