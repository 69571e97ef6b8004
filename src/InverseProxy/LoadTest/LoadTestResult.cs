using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InverseProxy.LoadTest;

/// <summary>What a finished load test measured. Errors are requests that got no response (refused, reset, timed out).</summary>
internal sealed record LoadTestResult(TimeSpan Elapsed, long Requests, long Errors, IReadOnlyDictionary<int, long> Statuses, TimeSpan P50, TimeSpan P90, TimeSpan P99)
{
    /// <summary>Responses per second over the whole run.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"requests   {Requests} in {Elapsed.TotalSeconds:0.0}s, {RequestsPerSecond:0.0} req/s\n");
        text.Append(CultureInfo.InvariantCulture, $"latency    p50 {Ms(P50)} ms, p90 {Ms(P90)} ms, p99 {Ms(P99)} ms\n");
        text.Append(CultureInfo.InvariantCulture, $"errors     {Errors}\n");
        foreach (var (status, count) in Statuses.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"status {status} {count}\n");
        }
        return text.ToString();
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteNumber("elapsed_seconds", Math.Round(Elapsed.TotalSeconds, 3));
        json.WriteNumber("requests", Requests);
        json.WriteNumber("requests_per_second", Math.Round(RequestsPerSecond, 1));
        json.WriteNumber("errors", Errors);
        json.WriteNumber("p50_ms", Math.Round(P50.TotalMilliseconds, 3));
        json.WriteNumber("p90_ms", Math.Round(P90.TotalMilliseconds, 3));
        json.WriteNumber("p99_ms", Math.Round(P99.TotalMilliseconds, 3));
        json.WriteStartObject("statuses");
        foreach (var (status, count) in Statuses.OrderBy(p => p.Key))
        {
            json.WriteNumber(status.ToString(CultureInfo.InvariantCulture), count);
        }
        json.WriteEndObject();
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);
}
