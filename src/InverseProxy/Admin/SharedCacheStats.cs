using System.Text;
using System.Text.Json;
using InverseProxy.Caching.Shared;

namespace InverseProxy.Admin;

/// <summary>The second-level cache in /proxy-stats (<c>cache.shared</c>) and /metrics (<c>inverseproxy_cache_shared_*</c>).</summary>
internal static class SharedCacheStats
{
    public static void WriteJson(Utf8JsonWriter json, SharedCacheCounters? counters)
    {
        if (counters is not { } c)
        {
            json.WriteNull("shared");
            return;
        }
        json.WriteStartObject("shared");
        json.WriteNumber("hits", c.Hits);
        json.WriteNumber("misses", c.Misses);
        json.WriteNumber("stores", c.Stores);
        json.WriteNumber("drops", c.Drops);
        json.WriteNumber("errors", c.Errors);
        json.WriteString("circuit", CircuitText(c.Circuit));
        json.WriteNumber("circuit_open", c.Circuit == SharedCircuitState.Closed ? 0 : 1);
        json.WriteEndObject();
    }

    public static void WriteMetrics(StringBuilder text, SharedCacheCounters? counters)
    {
        if (counters is not { } c)
        {
            return;
        }
        PrometheusText.Metric(text, "inverseproxy_cache_shared_hits_total", "counter", "Misses in memory answered from Redis.", c.Hits);
        PrometheusText.Metric(text, "inverseproxy_cache_shared_misses_total", "counter", "Misses in memory that Redis had no entry for either.", c.Misses);
        PrometheusText.Metric(text, "inverseproxy_cache_shared_stores_total", "counter", "Entries written to Redis.", c.Stores);
        PrometheusText.Metric(text, "inverseproxy_cache_shared_drops_total", "counter", "Entries not written to Redis: queue full or circuit open.", c.Drops);
        PrometheusText.Metric(text, "inverseproxy_cache_shared_errors_total", "counter", "Redis calls that failed or outlasted redis_timeout.", c.Errors);
        PrometheusText.Metric(text, "inverseproxy_cache_shared_circuit_open", "gauge", "1 while Redis is skipped after repeated failures (or probed).", c.Circuit == SharedCircuitState.Closed ? 0 : 1);
    }

    private static string CircuitText(SharedCircuitState state) => state switch
    {
        SharedCircuitState.Open => "open",
        SharedCircuitState.HalfOpen => "half-open",
        _ => "closed",
    };
}
