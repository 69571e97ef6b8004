using InverseProxy.Caching;
using InverseProxy.Compression;
using InverseProxy.Http;
using InverseProxy.Tests.TestSupport;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

/// <summary>Variants whose coding the proxy negotiated: selected by the coding a request negotiates.</summary>
public sealed class NegotiatedVariantTests
{
    private static readonly byte[] s_encoded = [1, 2, 3];

    private static ResponseHead Encoded(ContentCoding coding)
    {
        var head = Ok(("Content-Type", "text/html"), ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""));
        CodingFields.Apply(head.Headers, coding);
        return head;
    }

    private static CachedResponse? Store(ResponseCache cache, ManualTimeProvider clock, RequestHead request, ContentCoding coding, byte[] body)
    {
        var now = clock.GetUtcNow();
        var response = Encoded(coding);
        var decision = cache.Evaluate(request, response, now, now);
        return cache.Store(ResponseCacheByHead.KeyOf(request), request, response, body, decision, coding);
    }

    private static CacheLookup Find(ResponseCache cache, string? acceptEncoding) =>
        cache.Lookup(acceptEncoding is null ? Get("/a") : Get("/a", ("Accept-Encoding", acceptEncoding)), "http");

    [Fact]
    public void Lookup_SpellingsThatNegotiateTheSameCoding_ShareTheEntry()
    {
        var (cache, clock) = Cache();
        Store(cache, clock, Get("/a", ("Accept-Encoding", "gzip, deflate, br")), ContentCoding.Brotli, s_encoded);

        Assert.Equal(s_encoded, Find(cache, "br, gzip").Entry!.Body);
        Assert.Equal(s_encoded, Find(cache, "BR;q=1").Entry!.Body);
        Assert.Equal(s_encoded, Find(cache, "*").Entry!.Body);
        Assert.Equal(CacheLookupKind.Miss, Find(cache, "gzip").Kind);
        Assert.Equal(CacheLookupKind.Miss, Find(cache, "br;q=0, gzip").Kind);
        Assert.Equal(CacheLookupKind.Miss, Find(cache, null).Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Get("/a", ("Accept-Encoding", "br"), ("Range", "bytes=0-1")), "http").Kind);
        Assert.Equal(CacheLookupKind.Miss, cache.Lookup(Request("HEAD", "/a", ("Accept-Encoding", "br")), "http").Kind);
    }

    [Fact]
    public void Lookup_EachCodingItsOwnVariant()
    {
        var (cache, clock) = Cache();
        Store(cache, clock, Get("/a", ("Accept-Encoding", "br")), ContentCoding.Brotli, [1]);
        Store(cache, clock, Get("/a", ("Accept-Encoding", "gzip")), ContentCoding.Gzip, [2]);
        Store(cache, clock, Get("/a"), ContentCoding.Identity, [3]);

        Assert.Equal([1], Find(cache, "gzip, br").Entry!.Body);
        Assert.Equal([2], Find(cache, "x-gzip, deflate").Entry!.Body);
        Assert.Equal([3], Find(cache, "deflate").Entry!.Body);
        Assert.Equal([3], Find(cache, null).Entry!.Body);
        Assert.Equal([3], cache.Lookup(Request("HEAD", "/a", ("Accept-Encoding", "br")), "http").Entry!.Body);
        Assert.Equal(3, cache.Counters().Entries);
    }

    [Fact]
    public void Lookup_OriginNegotiatedVariant_StillSelectedByTheWholeValue()
    {
        // The target encoded this one itself for "br": another request negotiating br must not get it, as the
        // target may have answered a differently spelled value differently.
        var (cache, clock) = Cache();
        Put(cache, clock, Get("/a", ("Accept-Encoding", "br")), Ok(("Vary", "Accept-Encoding"), ("Content-Encoding", "br"), ("Cache-Control", "max-age=60")), [9]);

        Assert.Equal([9], Find(cache, "BR").Entry!.Body);
        Assert.Equal(CacheLookupKind.Miss, Find(cache, "br, gzip").Kind);
    }

    [Fact]
    public void Refresh_304WithStrongTagAndNoVary_VariantKeepsItsFields()
    {
        var (cache, clock) = Cache();
        var request = Get("/a", ("Accept-Encoding", "gzip"));
        var stored = Store(cache, clock, request, ContentCoding.Gzip, s_encoded)!;
        var notModified = Response(304, ("ETag", "\"v1\""), ("Cache-Control", "max-age=120"));

        var refreshed = cache.Refresh(request, "http", stored, notModified, clock.GetUtcNow(), clock.GetUtcNow());

        Assert.Equal("W/\"v1\"", refreshed.ETag);
        Assert.Equal("gzip", refreshed.Headers.Get("Content-Encoding"));
        Assert.Equal("Accept-Encoding", refreshed.Headers.GetCombined("Vary"));
        Assert.Equal("3", refreshed.Headers.Get("Content-Length"));
        Assert.Equal("max-age=120", refreshed.Headers.Get("Cache-Control"));
        Assert.Equal(ContentCoding.Gzip, refreshed.NegotiatedCoding);
        Assert.Same(refreshed, Find(cache, "deflate, gzip").Entry);
        Assert.Equal(CacheLookupKind.Miss, Find(cache, null).Kind);
    }

    [Fact]
    public void Restore_NegotiatedVariantFromTheCacheFile_SelectedAsBefore()
    {
        var (cache, clock) = Cache();
        Store(cache, clock, Get("/a", ("Accept-Encoding", "br")), ContentCoding.Brotli, s_encoded);

        Assert.True(CachedResponse.TryRestore(Entries(cache).Single(), out var restored));

        Assert.Equal(ContentCoding.Brotli, restored!.NegotiatedCoding);
        Assert.True(VaryFields.Matches(restored.VaryNames, restored.VaryValues, Get("/a", ("Accept-Encoding", "gzip, br"))));
        Assert.False(VaryFields.Matches(restored.VaryNames, restored.VaryValues, Get("/a", ("Accept-Encoding", "gzip"))));
    }
}
