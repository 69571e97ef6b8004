using System.Globalization;
using System.Text;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Admin;

/// <summary>
/// Renders a <see cref="StatsReport"/> in the Prometheus text exposition format (version 0.0.4). Every number of
/// /proxy-stats is here, named after its JSON path in snake_case, counters ending in <c>_total</c>, in seconds and
/// bytes (tests/InverseProxy.Tests/Admin/MetricsParityTests.cs holds the rule and the few older names).
/// </summary>
internal static class PrometheusText
{
    public static string Render(StatsReport r)
    {
        var text = new StringBuilder(2048);
        Metric(text, "inverseproxy_uptime_seconds", "gauge", "Seconds since the proxy started.", r.Uptime.TotalSeconds);
        Header(text, "inverseproxy_requests_total", "counter", "Requests answered, by status class.");
        foreach (var (cls, n) in r.ByStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, "inverseproxy_requests_total", $"{{status=\"{cls}\"}}", n);
        }
        Header(text, "inverseproxy_requests_by_method_total", "counter", "Requests answered, by method.");
        foreach (var (method, n) in r.ByMethod.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Sample(text, "inverseproxy_requests_by_method_total", $"{{method=\"{method}\"}}", n);
        }
        Metric(text, "inverseproxy_connections_active", "gauge", "Client connections open now.", r.ActiveConnections);
        Metric(text, "inverseproxy_connections_accepted_total", "counter", "Client connections accepted.", r.AcceptedConnections);
        Metric(text, "inverseproxy_connections_rejected_total", "counter", "Client connections refused at max_connections.", r.RejectedConnections);
        Metric(text, "inverseproxy_connections_thread_start_failures_total", "counter", "Connections refused with 503 because no thread could be started.", r.ThreadStartFailures);
        Metric(text, "inverseproxy_connections_thread_allocated_bytes_total", "counter", "Bytes connection threads allocated while serving.", r.ConnectionThreadAllocatedBytes);
        Metric(text, "inverseproxy_connections_send_timeouts_total", "counter", "Client connections reset because a response was not taken within send_timeout.", r.SendTimeouts);
        Metric(text, "inverseproxy_connections_slow_request_bodies_total", "counter", "Requests answered 408 because their body came slower than min_body_rate.", r.SlowRequestBodies);
        Metric(text, "inverseproxy_bytes_received_total", "counter", "Bytes received from clients.", r.BytesIn);
        Metric(text, "inverseproxy_bytes_sent_total", "counter", "Response body bytes sent to clients.", r.BytesOut);
        if (r.Cache is { } c)
        {
            Metric(text, "inverseproxy_cache_hits_total", "counter", "Requests answered from a fresh stored response.", c.Hits);
            Metric(text, "inverseproxy_cache_misses_total", "counter", "Cache lookups that went to a target.", c.Misses);
            Metric(text, "inverseproxy_cache_stale_served_total", "counter", "Stale responses served (stale-while-revalidate, stale-if-error).", c.StaleServed);
            Metric(text, "inverseproxy_cache_evictions_total", "counter", "Entries evicted to make room.", c.Evictions);
            Metric(text, "inverseproxy_cache_stores_total", "counter", "Responses stored.", c.Stores);
            Metric(text, "inverseproxy_cache_invalidations_total", "counter", "Entries removed by PURGE or by unsafe requests.", c.Invalidations);
            Metric(text, "inverseproxy_cache_entries", "gauge", "Stored responses.", c.Entries);
            Metric(text, "inverseproxy_cache_bytes", "gauge", "Memory the cache holds: bodies, heads, keys and per-entry bookkeeping.", c.Bytes);
            Metric(text, "inverseproxy_cache_hit_ratio", "gauge", "Hits over lookups.", c.HitRatio);
            Metric(text, "inverseproxy_cache_flush_failures_total", "counter", "Failed writes of the cache file.", r.Flush?.FailureCount ?? 0);
            Metric(text, "inverseproxy_cache_last_flush_seconds", "gauge", "Duration of the last cache file write.", r.Flush?.LastFlushDuration.TotalSeconds ?? 0);
            Flush(text, r.Flush);
            SharedCacheStats.WriteMetrics(text, r.SharedCache);
        }
        Metric(text, "inverseproxy_upstream_connections_opened_total", "counter", "Connections opened to targets.", r.UpstreamConnectionsOpened);
        Metric(text, "inverseproxy_upstream_connections_reused_total", "counter", "Requests sent on a pooled connection.", r.UpstreamReuses);
        Metric(text, "inverseproxy_upstream_connections_idle", "gauge", "Idle pooled connections to targets.", r.UpstreamIdle);
        Header(text, "inverseproxy_target_up", "gauge", "1 when the target is not held down.");
        foreach (var t in r.Targets)
        {
            Sample(text, "inverseproxy_target_up", $"{{target=\"{t.Name}\"}}", t.HeldDownUntil is null ? 1 : 0);
        }
        Header(text, "inverseproxy_target_requests_total", "counter", "Requests sent to each target.");
        foreach (var t in r.Targets)
        {
            Sample(text, "inverseproxy_target_requests_total", $"{{target=\"{t.Name}\"}}", t.Requests);
        }
        Header(text, "inverseproxy_target_failures_total", "counter", "Connects or exchanges with each target that failed.");
        foreach (var t in r.Targets)
        {
            Sample(text, "inverseproxy_target_failures_total", $"{{target=\"{t.Name}\"}}", t.Failures);
        }
        Header(text, "inverseproxy_target_hold_downs_total", "counter", "Times each target went from healthy to held down (upstream_hold_down).");
        foreach (var t in r.Targets)
        {
            Sample(text, "inverseproxy_target_hold_downs_total", $"{{target=\"{t.Name}\"}}", t.HoldDowns);
        }
        Metric(text, "inverseproxy_upstream_dynamic_targets", "gauge", "Targets made from templates and kept now.", r.DynamicTargets);
        SiteSamples(text, r.Sites, "requests", "Requests routed to each site.", s => s.Requests);
        SiteSamples(text, r.Sites, "cache_hits", "Requests each site answered from the cache.", s => s.Hits);
        SiteSamples(text, r.Sites, "cache_misses", "Requests each site looked up and forwarded.", s => s.Misses);
        SiteSamples(text, r.Sites, "errors", "5xx answers for each site.", s => s.Errors);
        SiteSamples(text, r.Sites, "refused", "Requests refused 421 because a templated target was not allowed.", s => s.Refused);
        SiteSamples(text, r.Sites, "filtered", "Requests answered deny_status by a request filter rule.", s => s.Filtered);
        SiteSamples(text, r.Sites, "rate_limited", "Requests answered 429 because the client was over rate_limit.", s => s.RateLimited);
        SiteSamples(text, r.Sites, "compressed", "Responses each site sent gzip or br (encoded, or a stored encoded copy).", s => s.Compressed);
        Tunnels(text, r.Tunnels);
        Process(text, r.Process);
        return text.ToString();
    }

    private static void Tunnels(StringBuilder text, TunnelFigures t)
    {
        Metric(text, "inverseproxy_tunnels_open", "gauge", "WebSocket and CONNECT tunnels open now.", t.Open);
        Metric(text, "inverseproxy_tunnels_opened_total", "counter", "Tunnels opened.", t.Opened);
        Metric(text, "inverseproxy_tunnels_bytes_up_total", "counter", "Bytes tunnels carried from clients to targets.", t.BytesUp);
        Metric(text, "inverseproxy_tunnels_bytes_down_total", "counter", "Bytes tunnels carried from targets to clients.", t.BytesDown);
        Metric(text, "inverseproxy_tunnels_refused_destinations_total", "counter", "CONNECT and forward-proxy requests refused 403 by forward_allow or connect_ports.", t.RefusedDestinations);
        Metric(text, "inverseproxy_tunnels_proxy_auth_challenges_total", "counter", "Requests answered 407 for missing or wrong proxy credentials.", t.ProxyAuthChallenges);
    }

    private static void Flush(StringBuilder text, FlushStatistics? f)
    {
        Metric(text, "inverseproxy_cache_flushes_total", "counter", "Cache file writes that succeeded.", f?.FlushCount ?? 0);
        Metric(text, "inverseproxy_cache_last_flush_duration_seconds", "gauge", "Duration of the last cache file write.", f?.LastFlushDuration.TotalSeconds ?? 0);
        Metric(text, "inverseproxy_cache_last_flush_bytes", "gauge", "Size of the last cache file written.", f?.LastFlushBytes ?? 0);
        Metric(text, "inverseproxy_cache_last_flush_entries", "gauge", "Entries in the last cache file written.", f?.LastFlushEntries ?? 0);
        if (f?.LastFlushAt is { } at)
        {
            Metric(text, "inverseproxy_cache_last_flush_timestamp_seconds", "gauge", "When the last cache file write ended (Unix time).", at.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static void Process(StringBuilder text, ProcessReport p)
    {
        Metric(text, "inverseproxy_process_resident_bytes", "gauge", "Resident memory of the process.", p.ResidentBytes);
        Metric(text, "inverseproxy_process_threads", "gauge", "Threads of the process, connection threads included.", p.Threads);
        Metric(text, "inverseproxy_process_gc_heap_bytes", "gauge", "Bytes the managed heap holds.", p.GcHeapBytes);
        Metric(text, "inverseproxy_process_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since start.", p.GcAllocatedBytes);
        for (int generation = 0; generation < p.GcCollections.Count; generation++)
        {
            Metric(text, $"inverseproxy_process_gc_gen{generation}_collections_total", "counter", $"Garbage collections of generation {generation} (and older).", p.GcCollections[generation]);
        }
        Metric(text, "inverseproxy_process_gc_pause_seconds_total", "counter", "Time the garbage collector paused the process.", p.GcPauseTotal.TotalSeconds);
        Metric(text, "inverseproxy_process_lock_contentions_total", "counter", "Times a thread waited for a contended lock.", p.LockContentions);
    }

    private static void SiteSamples(StringBuilder text, IReadOnlyList<SiteReport> sites, string what, string help, Func<SiteReport, long> value)
    {
        string name = $"inverseproxy_sites_{what}_total";
        Header(text, name, "counter", help);
        foreach (var site in sites)
        {
            Sample(text, name, $"{{site=\"{site.Name}\"}}", value(site));
        }
    }

    internal static void Metric(StringBuilder text, string name, string type, string help, double value)
    {
        Header(text, name, type, help);
        Sample(text, name, "", value);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
}
