using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.Caching.Shared;
using InverseProxy.Metrics;
using InverseProxy.Routing;
using InverseProxy.Upstream;

namespace InverseProxy.Admin;

/// <summary>Everything the stats endpoint reports, read once so the JSON and Prometheus views agree.</summary>
internal sealed record StatsReport(
    TimeSpan Uptime,
    long Requests,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyDictionary<string, long> ByMethod,
    long ActiveConnections,
    long AcceptedConnections,
    long RejectedConnections,
    long ThreadStartFailures,
    long ConnectionThreadAllocatedBytes,
    long SendTimeouts,
    long SlowRequestBodies,
    long BytesIn,
    long BytesOut,
    CacheCounters? Cache,
    FlushStatistics? Flush,
    IReadOnlyList<TargetReport> Targets,
    long UpstreamConnectionsOpened,
    long UpstreamReuses,
    int UpstreamIdle,
    IReadOnlyList<SiteReport> Sites,
    int DynamicTargets,
    ProcessReport Process)
{
    public TunnelFigures Tunnels { get; init; } = TunnelFigures.Empty;

    /// <summary>The second-level cache's counters; null without redis.</summary>
    public SharedCacheCounters? SharedCache { get; init; }

    /// <summary>Handshakes on the TLS port by version, timed out and failed; null when tls_port is 0.</summary>
    public TlsFigures? Tls { get; init; }

    public static StatsReport Capture(ProxyServer server, TimeProvider time)
    {
        var m = server.Metrics;
        return new StatsReport(
            time.GetUtcNow() - server.StartedAt,
            m.Requests,
            m.StatusClasses(),
            m.Methods(),
            m.ActiveConnections,
            m.AcceptedConnections,
            m.RejectedConnections,
            m.ThreadStartFailures,
            m.ConnectionThreadAllocatedBytes,
            m.SendTimeouts,
            m.SlowRequestBodies,
            m.BytesIn,
            m.BytesOut,
            server.Cache?.Counters(),
            server.FlushStatistics,
            server.Targets.Select(TargetReport.From).ToArray(),
            server.Pool?.ConnectionsOpened ?? 0,
            server.Pool?.Reuses ?? 0,
            server.Pool?.IdleCount ?? 0,
            server.Config.Sites.All.Select(SiteReport.From).ToArray(),
            server.DynamicTargets?.Count ?? 0,
            ProcessReport.Read())
        {
            Tunnels = TunnelFigures.From(server.Tunnels),
            SharedCache = server.Cache?.SecondLevel?.Counters(),
            Tls = server.TlsCounters is { } tls ? TlsFigures.From(tls) : null,
        };
    }

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("uptime_seconds", Math.Round(Uptime.TotalSeconds, 3));
            json.WriteStartObject("requests");
            json.WriteNumber("total", Requests);
            WriteMap(json, "by_status", ByStatus);
            WriteMap(json, "by_method", ByMethod);
            json.WriteEndObject();
            json.WriteStartObject("connections");
            json.WriteNumber("active", ActiveConnections);
            json.WriteNumber("accepted", AcceptedConnections);
            json.WriteNumber("rejected", RejectedConnections);
            json.WriteNumber("thread_start_failures", ThreadStartFailures);
            json.WriteNumber("thread_allocated_bytes", ConnectionThreadAllocatedBytes);
            json.WriteNumber("send_timeouts", SendTimeouts);
            json.WriteNumber("slow_request_bodies", SlowRequestBodies);
            json.WriteEndObject();
            json.WriteNumber("bytes_in", BytesIn);
            json.WriteNumber("bytes_out", BytesOut);
            WriteCache(json);
            WriteTargets(json);
            WriteSites(json);
            WriteTunnels(json);
            Tls?.Write(json);
            WriteProcess(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void WriteTunnels(Utf8JsonWriter json)
    {
        json.WriteStartObject("tunnels");
        json.WriteNumber("open", Tunnels.Open);
        json.WriteNumber("opened", Tunnels.Opened);
        json.WriteNumber("bytes_up", Tunnels.BytesUp);
        json.WriteNumber("bytes_down", Tunnels.BytesDown);
        json.WriteNumber("refused_destinations", Tunnels.RefusedDestinations);
        json.WriteNumber("proxy_auth_challenges", Tunnels.ProxyAuthChallenges);
        json.WriteEndObject();
    }

    private void WriteCache(Utf8JsonWriter json)
    {
        if (Cache is not { } c)
        {
            json.WriteNull("cache");
            return;
        }
        json.WriteStartObject("cache");
        json.WriteNumber("hits", c.Hits);
        json.WriteNumber("misses", c.Misses);
        json.WriteNumber("stale_served", c.StaleServed);
        json.WriteNumber("evictions", c.Evictions);
        json.WriteNumber("stores", c.Stores);
        json.WriteNumber("invalidations", c.Invalidations);
        json.WriteNumber("entries", c.Entries);
        json.WriteNumber("bytes", c.Bytes);
        json.WriteNumber("hit_ratio", Math.Round(c.HitRatio, 4));
        json.WriteStartObject("persistence");
        var f = Flush;
        WriteTime(json, "last_flush_at", f?.LastFlushAt);
        json.WriteNumber("last_flush_duration_ms", Math.Round(f?.LastFlushDuration.TotalMilliseconds ?? 0, 3));
        json.WriteNumber("last_flush_bytes", f?.LastFlushBytes ?? 0);
        json.WriteNumber("last_flush_entries", f?.LastFlushEntries ?? 0);
        json.WriteNumber("flushes", f?.FlushCount ?? 0);
        json.WriteNumber("failures", f?.FailureCount ?? 0);
        json.WriteString("last_error", f?.LastError);
        json.WriteEndObject();
        SharedCacheStats.WriteJson(json, SharedCache);
        json.WriteEndObject();
    }

    private void WriteTargets(Utf8JsonWriter json)
    {
        json.WriteStartObject("upstream");
        json.WriteNumber("connections_opened", UpstreamConnectionsOpened);
        json.WriteNumber("connections_reused", UpstreamReuses);
        json.WriteNumber("connections_idle", UpstreamIdle);
        json.WriteNumber("dynamic_targets", DynamicTargets);
        json.WriteStartArray("targets");
        foreach (var t in Targets)
        {
            json.WriteStartObject();
            json.WriteString("target", t.Name);
            json.WriteBoolean("healthy", t.HeldDownUntil is null);
            WriteTime(json, "held_down_until", t.HeldDownUntil);
            json.WriteNumber("requests", t.Requests);
            json.WriteNumber("failures", t.Failures);
            json.WriteNumber("hold_downs", t.HoldDowns);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteSites(Utf8JsonWriter json)
    {
        json.WriteStartArray("sites");
        foreach (var site in Sites)
        {
            json.WriteStartObject();
            json.WriteString("site", site.Name);
            json.WriteNumber("requests", site.Requests);
            json.WriteNumber("cache_hits", site.Hits);
            json.WriteNumber("cache_misses", site.Misses);
            json.WriteNumber("errors", site.Errors);
            json.WriteNumber("refused", site.Refused);
            json.WriteNumber("filtered", site.Filtered);
            json.WriteNumber("rate_limited", site.RateLimited);
            json.WriteNumber("compressed", site.Compressed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Memory and GC figures: what a thread-per-connection proxy pays for its threads shows here first.</summary>
    private void WriteProcess(Utf8JsonWriter json)
    {
        var p = Process;
        json.WriteStartObject("process");
        json.WriteNumber("resident_bytes", p.ResidentBytes);
        json.WriteNumber("threads", p.Threads);
        json.WriteNumber("gc_heap_bytes", p.GcHeapBytes);
        json.WriteNumber("gc_allocated_bytes", p.GcAllocatedBytes);
        json.WriteNumber("gc_gen0_collections", p.GcCollections[0]);
        json.WriteNumber("gc_gen1_collections", p.GcCollections[1]);
        json.WriteNumber("gc_gen2_collections", p.GcCollections[2]);
        json.WriteNumber("gc_pause_total_ms", Math.Round(p.GcPauseTotal.TotalMilliseconds, 1));
        json.WriteNumber("lock_contentions", p.LockContentions);
        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(key, value);
        }
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value.Value.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>One target's health and counters.</summary>
internal sealed record TargetReport(string Name, DateTimeOffset? HeldDownUntil, long Requests, long Failures, long HoldDowns)
{
    public static TargetReport From(UpstreamTarget t) => new(t.Name, t.HeldDownUntil, t.Requests, t.Failures, t.HoldDowns);
}

/// <summary>One site's counters.</summary>
internal sealed record SiteReport(string Name, long Requests, long Hits, long Misses, long Errors, long Refused)
{
    /// <summary>Requests answered deny_status by a filter rule.</summary>
    public long Filtered { get; init; }

    /// <summary>Requests answered 429 by rate_limit.</summary>
    public long RateLimited { get; init; }

    /// <summary>Responses sent gzip or br by the proxy.</summary>
    public long Compressed { get; init; }

    public static SiteReport From(Site site) =>
        new(site.Name, site.Counters.Requests, site.Counters.Hits, site.Counters.Misses, site.Counters.Errors, site.Counters.Refused)
        {
            Filtered = site.Counters.Filtered,
            RateLimited = site.Counters.RateLimited,
            Compressed = site.Counters.Compressed,
        };
}
