using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>Which response header fields a stored response keeps (RFC 9111 §3.1) and how a 304 updates them (§3.2).</summary>
internal static class StoredHeaders
{
    // RFC 9110 §7.6.1 hop-by-hop fields, plus Age, which a hit writer regenerates from the entry's birth time.
    private static readonly string[] s_notStored =
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Age",
    };

    // RFC 9111 §3.2: an update never changes what describes the stored body's bytes: its length, range or codings.
    private static readonly string[] s_notUpdated = { "Content-Length", "Content-Range", "Content-Encoding", "Transfer-Encoding" };

    /// <summary>A copy of <paramref name="response"/> fit for storage with a body of <paramref name="bodyLength"/> bytes.</summary>
    public static HttpHeaders ForStorage(HttpHeaders response, int statusCode, long bodyLength)
    {
        var stored = response.Clone();
        RemoveNotStored(stored);
        if (statusCode == 204)
        {
            // RFC 9110 §8.6: no Content-Length in a 204.
            stored.Remove("Content-Length");
        }
        else
        {
            stored.Set("Content-Length", bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return stored;
    }

    /// <summary>The stored fields updated from a 304: each field the 304 carries replaces the stored ones of that name.</summary>
    public static HttpHeaders Merge(HttpHeaders stored, HttpHeaders notModified)
    {
        var update = notModified.Clone();
        RemoveNotStored(update);
        foreach (string name in s_notUpdated)
        {
            update.Remove(name);
        }
        var merged = stored.Clone();
        foreach (var field in update)
        {
            merged.Remove(field.Name);
        }
        foreach (var field in update)
        {
            merged.Add(field.Name, field.Value);
        }
        return merged;
    }

    /// <summary>
    /// RFC 9111 §4.3.5: a HEAD response describes the stored GET response when its validators match it: the same
    /// strong entity tag, or, without entity tags on either, the same Last-Modified; and no other Content-Length.
    /// </summary>
    public static bool DescribeSameResponse(CachedResponse stored, HttpHeaders head)
    {
        string? length = head.Get("Content-Length");
        if (length is not null && length.Trim() != stored.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return false;
        }
        string? etag = head.Get("ETag");
        if (etag is not null || stored.ETag is not null)
        {
            return etag is not null && stored.ETag is not null && ConditionalRequest.StrongMatch(etag, stored.ETag);
        }
        string? lastModified = head.Get("Last-Modified");
        return lastModified is not null && string.Equals(lastModified.Trim(), stored.LastModified?.Trim(), StringComparison.Ordinal);
    }

    private static void RemoveNotStored(HttpHeaders headers)
    {
        string? connection = headers.GetCombined("Connection");
        if (connection is not null)
        {
            foreach (string name in connection.Split(','))
            {
                string trimmed = name.Trim();
                if (trimmed.Length > 0)
                {
                    headers.Remove(trimmed);
                }
            }
        }
        foreach (string name in s_notStored)
        {
            headers.Remove(name);
        }
    }
}
