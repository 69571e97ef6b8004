using InverseProxy.Caching.Persistence;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// A stored response, immutable once built (its <see cref="Headers"/>, <see cref="Body"/> and <see cref="HeadBytes"/>
/// are shared with every hit and with persistence snapshots: never modify them). Built outside the cache lock.
/// </summary>
internal sealed class CachedResponse
{
    private int _refreshClaimed;

    private CachedResponse(
        string key, string primaryKey, string[] varyNames, string?[] varyValues, int statusCode, string reason,
        HttpHeaders headers, byte[] headBytes, byte[] body, DateTimeOffset bornAt, DateTimeOffset expiresAt)
    {
        Key = key;
        PrimaryKey = primaryKey;
        VaryNames = varyNames;
        VaryValues = varyValues;
        StatusCode = statusCode;
        Reason = reason;
        HeadBytes = headBytes;
        Body = body;
        BornAt = bornAt;
        ExpiresAt = expiresAt;
        var directives = ResponseDirectives.Parse(headers);
        StaleWhileRevalidate = directives.StaleWhileRevalidate;
        StaleIfError = directives.StaleIfError;
        MustRevalidate = directives.NeverServeStale;
        AlwaysRevalidate = directives.NoCache;
        ETag = headers.Get("ETag");
        LastModified = headers.Get("Last-Modified");
        HasDate = headers.Contains("Date");
        Size = FootprintOf(key, headBytes.Length, body.Length, ETag, LastModified);
    }

    /// <summary>The full cache key: the primary key plus, for a response with Vary, the selecting header values.</summary>
    public string Key { get; }

    public string PrimaryKey { get; }

    /// <summary>The names listed in Vary, lower-cased and sorted; empty when the response does not vary.</summary>
    public string[] VaryNames { get; }

    /// <summary>The request's value for each of <see cref="VaryNames"/> when stored; null where it was absent.</summary>
    public string?[] VaryValues { get; }

    /// <summary>
    /// The coding the proxy negotiated for this variant (its body is in it), or null when the proxy did not
    /// negotiate it. Derived from the key on each call: most entries do not vary, and a field would cost every entry.
    /// </summary>
    public Compression.ContentCoding? NegotiatedCoding => VaryFields.Negotiated(VaryNames, VaryValues);

    public int StatusCode { get; }

    public string Reason { get; }

    /// <summary>
    /// End-to-end fields only; Content-Length equals the body length; no Transfer-Encoding or Age. Decoded from
    /// <see cref="HeadBytes"/> on each call: an entry keeps its head once, in wire form, because a parsed copy of
    /// the fields cost more memory than a 1 KB body (a full cache of small entries held twice its cache_size).
    /// Only revalidation needs the fields; hits send the bytes.
    /// </summary>
    public HttpHeaders Headers => StoredHeadCodec.TryDecode(HeadBytes, out _, out _, out var headers)
        ? headers
        : throw new InvalidOperationException("a stored head no longer decodes");

    /// <summary>Status line and fields in wire form, CRLF line ends, without the blank line.</summary>
    public byte[] HeadBytes { get; }

    /// <summary>The de-chunked body.</summary>
    public byte[] Body { get; }

    /// <summary>response_time − corrected_initial_age (RFC 9111 §4.2.3): the age clock starts here.</summary>
    public DateTimeOffset BornAt { get; }

    /// <summary><see cref="BornAt"/> plus the freshness lifetime.</summary>
    public DateTimeOffset ExpiresAt { get; }

    public TimeSpan Lifetime => ExpiresAt - BornAt;

    public TimeSpan StaleWhileRevalidate { get; }

    public TimeSpan StaleIfError { get; }

    /// <summary>must-revalidate, proxy-revalidate or no-cache: never served stale.</summary>
    public bool MustRevalidate { get; }

    /// <summary>Response no-cache (RFC 9111 §5.2.2.4): stored, but validated before every use.</summary>
    public bool AlwaysRevalidate { get; }

    public string? ETag { get; }

    public string? LastModified { get; }

    /// <summary>Whether the stored head has a Date field; one without gets it when served (RFC 9110 §6.6.1).</summary>
    /// <summary>
    /// Claims this entry's one background refresh. A refresh that replaced the entry keeps its claim, so a request
    /// that looked this entry up just before the replacement cannot start a second fetch of it.
    /// </summary>
    public bool TryClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;

    /// <summary>Gives the claim back after a refresh that left this entry stored (failed, or not storable).</summary>
    public void ReleaseRefresh() => Volatile.Write(ref _refreshClaimed, 0);

    public bool HasDate { get; }

    /// <summary>
    /// What the entry holds in memory, which is what counts against cache_size: body and head bytes, the key and
    /// validators as .NET strings (two bytes a character), and <see cref="FixedOverheadBytes"/>. Counting only key,
    /// head and body let a full 256 MB cache of 1 KB entries hold 340 MB (bench/memory.sh).
    /// </summary>
    public long Size { get; }

    /// <summary>
    /// Per entry, besides its bytes and strings: this object, its LRU node, its slot in the key index and the
    /// headers of its arrays and strings, with room for the key index's spare slots. Measured on 64-bit .NET 10:
    /// 20,000 stored entries retained 798 B each with an empty body, 1,829 B with 1 KB (EntryFootprintTests).
    /// </summary>
    public const int FixedOverheadBytes = 432;

    private static long FootprintOf(string key, int headLength, int bodyLength, string? etag, string? lastModified) =>
        FixedOverheadBytes + 2L * (key.Length + (etag?.Length ?? 0) + (lastModified?.Length ?? 0)) + headLength + bodyLength;

    /// <summary>This entry as the cache file holds it, sharing the head and body arrays; made on each call.</summary>
    public PersistedEntry Persisted => new(Key, HeadBytes, Body, BornAt, ExpiresAt);

    /// <summary>current_age (RFC 9111 §4.2.3): corrected initial age plus resident time.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => now > BornAt ? now - BornAt : TimeSpan.Zero;

    public bool IsFreshAt(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>Builds an entry; <paramref name="headers"/> must already be in stored form and is owned from now on.</summary>
    public static CachedResponse Create(
        string key, int statusCode, string reason, HttpHeaders headers, byte[] body, DateTimeOffset bornAt, DateTimeOffset expiresAt)
    {
        if (!CacheKey.TrySplit(key, out string primary, out string[] names, out string?[] values))
        {
            throw new ArgumentException("Malformed cache key.", nameof(key));
        }
        byte[] head = StoredHeadCodec.Encode(statusCode, reason, headers);
        return new CachedResponse(key, primary, names, values, statusCode, reason, headers, head, body, bornAt, expiresAt);
    }

    /// <summary>Rebuilds an entry from the cache file; false when the record is inconsistent (treat as corrupt).</summary>
    public static bool TryRestore(PersistedEntry persisted, out CachedResponse? entry)
    {
        entry = null;
        if (!CacheKey.TrySplit(persisted.Key, out string primary, out string[] names, out string?[] values)
            || !StoredHeadCodec.TryDecode(persisted.Head, out int status, out string reason, out var headers)
            || !VaryFields.TryGetNames(headers, out string[] storedNames)
            || !names.AsSpan().SequenceEqual(storedNames)
            || persisted.ExpiresAt < persisted.BornAt
            || !HasConsistentLength(headers, persisted.Body.Length))
        {
            return false;
        }
        entry = new CachedResponse(
            persisted.Key, primary, names, values, status, reason, headers, persisted.Head, persisted.Body,
            persisted.BornAt, persisted.ExpiresAt);
        return true;
    }

    private static bool HasConsistentLength(HttpHeaders headers, int bodyLength)
    {
        string? contentLength = headers.Get("Content-Length");
        return contentLength is null
            ? bodyLength == 0
            : contentLength == bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
