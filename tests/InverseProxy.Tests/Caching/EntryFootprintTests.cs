using System.Runtime.CompilerServices;
using InverseProxy.Caching;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

/// <summary>Measures the whole heap, so it runs alone: other tests allocating meanwhile would count too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    public const string Name = "heap measuring";
}

[Collection(HeapMeasuringCollection.Name)]
public sealed class EntryFootprintTests
{
    private const int Count = 20_000;

    /// <summary>
    /// cache_size bounds memory only if an entry's Size covers what it holds: a full cache of small entries is
    /// where per-entry objects weigh most. Counted must cover retained, and not overstate it by much either (the
    /// cache would then hold far less than configured).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public void Size_CoversWhatStoredEntriesRetain_WithinAFifth(int bodyLength)
    {
        var (cache, counted, withCache) = Fill(bodyLength);
        long retained = withCache - GC.GetTotalMemory(forceFullCollection: true);

        Assert.False(cache.IsAlive);
        Assert.True(retained <= counted, $"retained {retained / Count} B an entry, counted {counted / Count} B");
        Assert.True(counted <= retained * 1.2, $"retained {retained / Count} B an entry, counted {counted / Count} B");
    }

    /// <summary>Fills a cache with Count entries; returns it weakly, their counted size, and the heap while it lived.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Cache, long Counted, long WithCache) Fill(int bodyLength)
    {
        var (cache, clock) = Cache(Options(cacheSize: 1L << 34, maxEntrySize: 1 << 20));
        long counted = 0;
        for (int i = 0; i < Count; i++)
        {
            var request = Get("/asset?id=" + (100_000 + i));
            var response = Ok(("Server", "nginx/1.22.1"), ("Date", Date(Start)), ("Content-Type", "application/octet-stream"),
                ("Content-Length", bodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Last-Modified", Date(Start)), ("ETag", "\"6745f1a2-" + i + "\""), ("Cache-Control", "max-age=600"),
                ("Accept-Ranges", "bytes"));
            counted += Put(cache, clock, request, response, new byte[bodyLength])!.Size;
        }
        Assert.Equal(Count, cache.Counters().Entries);
        long withCache = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(cache);
        return (new WeakReference(cache), counted, withCache);
    }
}
