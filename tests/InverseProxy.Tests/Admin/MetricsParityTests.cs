using System.Globalization;
using System.Text.Json;
using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

/// <summary>
/// Every number of /proxy-stats is in /metrics. The rule from a JSON leaf to its metric, defined here once:
/// <list type="number">
/// <item>the JSON path joined with '_', after <c>inverseproxy_</c>;</item>
/// <item>a map's keys (<c>by_status</c>, <c>by_method</c>) and the targets and sites arrays become labels:
/// <c>status</c>, <c>method</c>, <c>target</c> or <c>site</c> (the element's property of that name);</item>
/// <item>a duration in <c>_ms</c> is given in <c>_seconds</c>;</item>
/// <item>a counter ends in <c>_total</c> (so the metric is the derived name or that name plus <c>_total</c>);</item>
/// <item>a leaf named <c>total</c> is the sum of its family's samples;</item>
/// <item>names older than this rule keep their spelling: <see cref="OlderNames"/>.</item>
/// </list>
/// </summary>
public sealed class MetricsParityTests
{
    private static readonly (string Derived, string Metric)[] OlderNames =
    [
        ("requests_by_status", "requests"),
        ("bytes_in", "bytes_received"),
        ("bytes_out", "bytes_sent"),
        ("cache_persistence_failures", "cache_flush_failures"),
        ("cache_persistence_", "cache_"),
        ("upstream_targets", "target"),
        ("gc_pause_total_seconds", "gc_pause_seconds"),
    ];

    [Fact]
    public void Render_EveryNumberOfTheJson_IsAMetricWithTheSameValue()
    {
        var report = StatsReports.Sample();
        var samples = ParseSamples(PrometheusText.Render(report));
        using var json = JsonDocument.Parse(report.ToJson());
        var leaves = new List<(string Name, string Labels, double Value, bool IsTotal)>();
        Walk(json.RootElement, [], "", leaves);

        Assert.True(leaves.Count > 40, $"{leaves.Count} numbers walked");
        var missing = new List<string>();
        foreach (var (name, labels, value, isTotal) in leaves)
        {
            bool found = isTotal
                ? Math.Abs(samples.Where(s => s.Key.Name == name + "_total").Sum(s => s.Value) - value) < 1e-9
                : (samples.TryGetValue((name, labels), out double v) || samples.TryGetValue((name + "_total", labels), out v)) && Math.Abs(v - value) < 1e-9;
            if (!found)
            {
                missing.Add($"{name}{labels} = {value}");
            }
        }
        Assert.True(missing.Count == 0, "not in /metrics: " + string.Join(", ", missing));
    }

    private static void Walk(JsonElement element, List<string> path, string labels, List<(string, string, double, bool)> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (path.Count > 0 && path[^1].StartsWith("by_", StringComparison.Ordinal))
                    {
                        Walk(property.Value, path, $"{{{path[^1][3..]}=\"{property.Name}\"}}", leaves);
                    }
                    else
                    {
                        Walk(property.Value, [.. path, property.Name], labels, leaves);
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    string label = item.TryGetProperty("target", out var target) ? "target" : "site";
                    string id = (label == "target" ? target : item.GetProperty("site")).GetString()!;
                    Walk(item, path, $"{{{label}=\"{id}\"}}", leaves);
                }
                break;
            case JsonValueKind.Number:
                bool isTotal = path[^1] == "total";
                var segments = isTotal ? path[..^1] : path;
                string name = string.Join('_', segments);
                double value = element.GetDouble();
                if (name.EndsWith("_ms", StringComparison.Ordinal))
                {
                    name = name[..^3] + "_seconds";
                    value /= 1000;
                }
                foreach (var (derived, metric) in OlderNames)
                {
                    name = name.Replace(derived, metric, StringComparison.Ordinal);
                }
                leaves.Add(("inverseproxy_" + name, labels, value, isTotal));
                break;
        }
    }

    private static Dictionary<(string Name, string Labels), double> ParseSamples(string text)
    {
        var samples = new Dictionary<(string, string), double>();
        foreach (string line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            int space = line.LastIndexOf(' ');
            string series = line[..space];
            int brace = series.IndexOf('{');
            samples[brace < 0 ? (series, "") : (series[..brace], series[brace..])] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
