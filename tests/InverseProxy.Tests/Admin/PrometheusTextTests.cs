using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Render_HandBuiltReport_ExactSampleLines()
    {
        var lines = PrometheusText.Render(StatsReports.Sample()).Split('\n');

        string[] expected =
        [
            "inverseproxy_uptime_seconds 12.5",
            "inverseproxy_requests_total{status=\"2xx\"} 7",
            "inverseproxy_requests_total{status=\"4xx\"} 2",
            "inverseproxy_requests_total{status=\"none\"} 1",
            "inverseproxy_requests_by_method_total{method=\"GET\"} 8",
            "inverseproxy_requests_by_method_total{method=\"POST\"} 2",
            "inverseproxy_connections_active 3",
            "inverseproxy_connections_accepted_total 40",
            "inverseproxy_connections_rejected_total 1",
            "inverseproxy_connections_thread_start_failures_total 11",
            "inverseproxy_connections_thread_allocated_bytes_total 77",
            "inverseproxy_connections_send_timeouts_total 13",
            "inverseproxy_connections_slow_request_bodies_total 14",
            "inverseproxy_bytes_received_total 1234",
            "inverseproxy_bytes_sent_total 56789",
            "inverseproxy_cache_hits_total 6",
            "inverseproxy_cache_misses_total 2",
            "inverseproxy_cache_stale_served_total 1",
            "inverseproxy_cache_evictions_total 4",
            "inverseproxy_cache_stores_total 3",
            "inverseproxy_cache_invalidations_total 1",
            "inverseproxy_cache_entries 5",
            "inverseproxy_cache_bytes 4096",
            "inverseproxy_cache_hit_ratio 0.75",
            "inverseproxy_cache_flush_failures_total 1",
            "inverseproxy_cache_last_flush_seconds 0.25",
            "inverseproxy_cache_flushes_total 9",
            "inverseproxy_cache_last_flush_duration_seconds 0.25",
            "inverseproxy_cache_last_flush_bytes 2048",
            "inverseproxy_cache_last_flush_entries 5",
            "inverseproxy_cache_last_flush_timestamp_seconds 1767323045",
            "inverseproxy_cache_shared_hits_total 21",
            "inverseproxy_cache_shared_misses_total 22",
            "inverseproxy_cache_shared_stores_total 23",
            "inverseproxy_cache_shared_drops_total 24",
            "inverseproxy_cache_shared_errors_total 25",
            "inverseproxy_cache_shared_circuit_open 1",
            "inverseproxy_upstream_connections_opened_total 4",
            "inverseproxy_upstream_connections_reused_total 6",
            "inverseproxy_upstream_connections_idle 2",
            "inverseproxy_target_up{target=\"127.0.0.1:8081\"} 1",
            "inverseproxy_target_up{target=\"127.0.0.1:8082\"} 0",
            "inverseproxy_target_requests_total{target=\"127.0.0.1:8081\"} 9",
            "inverseproxy_target_requests_total{target=\"127.0.0.1:8082\"} 1",
            "inverseproxy_target_failures_total{target=\"127.0.0.1:8081\"} 0",
            "inverseproxy_target_failures_total{target=\"127.0.0.1:8082\"} 3",
            "inverseproxy_target_hold_downs_total{target=\"127.0.0.1:8081\"} 0",
            "inverseproxy_target_hold_downs_total{target=\"127.0.0.1:8082\"} 2",
            "inverseproxy_upstream_dynamic_targets 11",
            "inverseproxy_sites_requests_total{site=\"default\"} 8",
            "inverseproxy_sites_requests_total{site=\"api\"} 2",
            "inverseproxy_sites_cache_hits_total{site=\"default\"} 6",
            "inverseproxy_sites_cache_hits_total{site=\"api\"} 0",
            "inverseproxy_sites_cache_misses_total{site=\"default\"} 2",
            "inverseproxy_sites_cache_misses_total{site=\"api\"} 1",
            "inverseproxy_sites_errors_total{site=\"default\"} 0",
            "inverseproxy_sites_errors_total{site=\"api\"} 1",
            "inverseproxy_sites_refused_total{site=\"default\"} 0",
            "inverseproxy_sites_refused_total{site=\"api\"} 3",
            "inverseproxy_sites_filtered_total{site=\"default\"} 0",
            "inverseproxy_sites_filtered_total{site=\"api\"} 0",
            "inverseproxy_sites_rate_limited_total{site=\"default\"} 0",
            "inverseproxy_sites_rate_limited_total{site=\"api\"} 0",
            "inverseproxy_sites_compressed_total{site=\"default\"} 0",
            "inverseproxy_sites_compressed_total{site=\"api\"} 0",
            "inverseproxy_tunnels_open 2",
            "inverseproxy_tunnels_opened_total 9",
            "inverseproxy_tunnels_bytes_up_total 4096",
            "inverseproxy_tunnels_bytes_down_total 65536",
            "inverseproxy_tunnels_refused_destinations_total 5",
            "inverseproxy_tunnels_proxy_auth_challenges_total 7",
            "inverseproxy_process_resident_bytes 50331648",
            "inverseproxy_process_threads 42",
            "inverseproxy_process_gc_heap_bytes 8388608",
            "inverseproxy_process_gc_allocated_bytes_total 123456789",
            "inverseproxy_process_gc_gen0_collections_total 30",
            "inverseproxy_process_gc_gen1_collections_total 12",
            "inverseproxy_process_gc_gen2_collections_total 3",
            "inverseproxy_process_gc_pause_seconds_total 0.0875",
            "inverseproxy_process_lock_contentions_total 13",
        ];
        Assert.Equal(expected, lines.Where(l => l.Length > 0 && !l.StartsWith('#')));
    }

    [Fact]
    public void Render_EveryMetric_HasHelpAndTypeBeforeItsSamples()
    {
        var lines = PrometheusText.Render(StatsReports.Sample()).TrimEnd('\n').Split('\n');
        var described = new HashSet<string>();

        foreach (string line in lines)
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "counter", "gauge" });
                Assert.Contains($"# HELP {parts[2]} ", lines.First(l => l.StartsWith($"# HELP {parts[2]} ", StringComparison.Ordinal)));
                described.Add(parts[2]);
                continue;
            }
            string name = line.Split('{', ' ')[0];
            Assert.Contains(name, described);
            Assert.True(!name.EndsWith("_total", StringComparison.Ordinal) || lines.Contains($"# TYPE {name} counter"), name);
        }
    }

    [Fact]
    public void Render_NoCache_LeavesOutCacheMetrics()
    {
        var text = PrometheusText.Render(StatsReports.Sample() with { Cache = null, Flush = null });

        Assert.DoesNotContain("inverseproxy_cache_", text);
        Assert.Contains("inverseproxy_requests_total{status=\"2xx\"} 7\n", text);
    }

    [Fact]
    public void Render_TextEndsWithNewline()
    {
        Assert.EndsWith("\n", PrometheusText.Render(StatsReports.Sample()));
    }
}
