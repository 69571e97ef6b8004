using System.Text.Json;
using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class StatsReportTests
{
    [Fact]
    public void ToJson_HandBuiltReport_TopLevelFields()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var root = json.RootElement;

        Assert.Equal(["uptime_seconds", "requests", "connections", "bytes_in", "bytes_out", "cache", "upstream", "sites", "tunnels", "process"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(12.5, root.GetProperty("uptime_seconds").GetDouble());
        Assert.Equal(1234, root.GetProperty("bytes_in").GetInt64());
        Assert.Equal(56789, root.GetProperty("bytes_out").GetInt64());
        Assert.Equal(11, root.GetProperty("upstream").GetProperty("dynamic_targets").GetInt64());
        Assert.Equal(2, root.GetProperty("tunnels").GetProperty("open").GetInt64());
        Assert.Equal(7, root.GetProperty("tunnels").GetProperty("proxy_auth_challenges").GetInt64());
        var api = root.GetProperty("sites")[1];
        Assert.Equal("api", api.GetProperty("site").GetString());
        Assert.Equal(3, api.GetProperty("refused").GetInt64());
    }

    [Fact]
    public void ToJson_AnyReport_ProcessMemoryAndGcFigures()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var process = json.RootElement.GetProperty("process");

        Assert.Equal(["resident_bytes", "threads", "gc_heap_bytes", "gc_allocated_bytes", "gc_gen0_collections", "gc_gen1_collections", "gc_gen2_collections", "gc_pause_total_ms", "lock_contentions"],
            process.EnumerateObject().Select(p => p.Name));
        Assert.True(process.GetProperty("resident_bytes").GetInt64() > 0);
        Assert.True(process.GetProperty("threads").GetInt32() > 0);
    }

    [Fact]
    public void ToJson_HandBuiltReport_RequestsAndConnections()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var requests = json.RootElement.GetProperty("requests");
        var connections = json.RootElement.GetProperty("connections");

        Assert.Equal(10, requests.GetProperty("total").GetInt64());
        Assert.Equal(["2xx", "4xx", "none"], requests.GetProperty("by_status").EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, requests.GetProperty("by_status").GetProperty("2xx").GetInt64());
        Assert.Equal(2, requests.GetProperty("by_status").GetProperty("4xx").GetInt64());
        Assert.Equal(8, requests.GetProperty("by_method").GetProperty("GET").GetInt64());
        Assert.Equal(2, requests.GetProperty("by_method").GetProperty("POST").GetInt64());
        Assert.Equal(3, connections.GetProperty("active").GetInt64());
        Assert.Equal(40, connections.GetProperty("accepted").GetInt64());
        Assert.Equal(1, connections.GetProperty("rejected").GetInt64());
        Assert.Equal(77, connections.GetProperty("thread_allocated_bytes").GetInt64());
    }

    [Fact]
    public void ToJson_HandBuiltReport_CacheAndPersistence()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var cache = json.RootElement.GetProperty("cache");
        var persistence = cache.GetProperty("persistence");

        Assert.Equal(6, cache.GetProperty("hits").GetInt64());
        Assert.Equal(2, cache.GetProperty("misses").GetInt64());
        Assert.Equal(1, cache.GetProperty("stale_served").GetInt64());
        Assert.Equal(4, cache.GetProperty("evictions").GetInt64());
        Assert.Equal(3, cache.GetProperty("stores").GetInt64());
        Assert.Equal(1, cache.GetProperty("invalidations").GetInt64());
        Assert.Equal(5, cache.GetProperty("entries").GetInt64());
        Assert.Equal(4096, cache.GetProperty("bytes").GetInt64());
        Assert.Equal(0.75, cache.GetProperty("hit_ratio").GetDouble());
        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", persistence.GetProperty("last_flush_at").GetString());
        Assert.Equal(250, persistence.GetProperty("last_flush_duration_ms").GetDouble());
        Assert.Equal(2048, persistence.GetProperty("last_flush_bytes").GetInt64());
        Assert.Equal(5, persistence.GetProperty("last_flush_entries").GetInt64());
        Assert.Equal(9, persistence.GetProperty("flushes").GetInt64());
        Assert.Equal(1, persistence.GetProperty("failures").GetInt64());
        Assert.Equal("disk full", persistence.GetProperty("last_error").GetString());
    }

    [Fact]
    public void ToJson_HandBuiltReport_SharedCacheCounters()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var shared = json.RootElement.GetProperty("cache").GetProperty("shared");

        Assert.Equal([21L, 22, 23, 24, 25, 1], new[] { "hits", "misses", "stores", "drops", "errors", "circuit_open" }.Select(n => shared.GetProperty(n).GetInt64()));
        Assert.Equal("open", shared.GetProperty("circuit").GetString());
    }

    [Fact]
    public void ToJson_HandBuiltReport_UpstreamTargets()
    {
        using var json = JsonDocument.Parse(StatsReports.Sample().ToJson());
        var upstream = json.RootElement.GetProperty("upstream");
        var targets = upstream.GetProperty("targets").EnumerateArray().ToArray();

        Assert.Equal(4, upstream.GetProperty("connections_opened").GetInt64());
        Assert.Equal(6, upstream.GetProperty("connections_reused").GetInt64());
        Assert.Equal(2, upstream.GetProperty("connections_idle").GetInt32());
        Assert.Equal(2, targets.Length);
        Assert.Equal("127.0.0.1:8081", targets[0].GetProperty("target").GetString());
        Assert.True(targets[0].GetProperty("healthy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, targets[0].GetProperty("held_down_until").ValueKind);
        Assert.Equal(9, targets[0].GetProperty("requests").GetInt64());
        Assert.Equal(0, targets[0].GetProperty("failures").GetInt64());
        Assert.False(targets[1].GetProperty("healthy").GetBoolean());
        Assert.Equal("2026-01-02T03:04:10.0000000+00:00", targets[1].GetProperty("held_down_until").GetString());
        Assert.Equal(3, targets[1].GetProperty("failures").GetInt64());
    }

    [Fact]
    public void ToJson_NoCache_CacheIsNull()
    {
        using var json = JsonDocument.Parse((StatsReports.Sample() with { Cache = null }).ToJson());

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("cache").ValueKind);
    }

    [Fact]
    public void ToJson_CacheButNoFlushYet_PersistenceHasNullsAndZeros()
    {
        using var json = JsonDocument.Parse((StatsReports.Sample() with { Flush = null }).ToJson());
        var persistence = json.RootElement.GetProperty("cache").GetProperty("persistence");

        Assert.Equal(JsonValueKind.Null, persistence.GetProperty("last_flush_at").ValueKind);
        Assert.Equal(0, persistence.GetProperty("flushes").GetInt64());
        Assert.Equal(JsonValueKind.Null, persistence.GetProperty("last_error").ValueKind);
    }
}
