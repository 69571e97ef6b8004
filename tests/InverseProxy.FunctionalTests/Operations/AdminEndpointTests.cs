using System.Text.Json;
using System.Text.RegularExpressions;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

public sealed class AdminEndpointTests : IDisposable
{
    private readonly ScriptedOrigin _origin = new(r => r.Target switch
    {
        "/dead" => new OriginResponse { Status = 404, Reason = "Not Found", Headers = [new("Cache-Control", "no-store")] },
        "/cached" => OriginResponse.Text("cached body", ("Cache-Control", "max-age=60")),
        _ => OriginResponse.Text("posted", ("Cache-Control", "no-store")),
    });

    private readonly ProxyInstance _proxy;
    private readonly int _adminPort;

    public AdminEndpointTests()
    {
        _adminPort = UnusedPort.Find();
        _proxy = ProxyInstance.Start(o => o.AdminPort = _adminPort, _origin.Port);
    }

    [Fact]
    public void ProxyStats_KnownTraffic_ExactCounters()
    {
        RunKnownSequence();

        var response = Admin("GET /proxy-stats HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, response.Status());
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.NotNull(response.Header("Date"));
        using var json = JsonDocument.Parse(response.Body);
        var root = json.RootElement;
        var requests = root.GetProperty("requests");
        Assert.Equal(5, requests.GetProperty("total").GetInt64());
        Assert.Equal(4, requests.GetProperty("by_status").GetProperty("2xx").GetInt64());
        Assert.Equal(1, requests.GetProperty("by_status").GetProperty("4xx").GetInt64());
        Assert.Equal(0, requests.GetProperty("by_status").GetProperty("5xx").GetInt64());
        Assert.Equal(4, requests.GetProperty("by_method").GetProperty("GET").GetInt64());
        Assert.Equal(1, requests.GetProperty("by_method").GetProperty("POST").GetInt64());
        var cache = root.GetProperty("cache");
        Assert.Equal(2, cache.GetProperty("hits").GetInt64());
        Assert.Equal(2, cache.GetProperty("misses").GetInt64()); // /cached once, /dead; a POST is not a lookup
        Assert.Equal(1, cache.GetProperty("entries").GetInt64());
        var target = Assert.Single(root.GetProperty("upstream").GetProperty("targets").EnumerateArray());
        Assert.Equal($"127.0.0.1:{_origin.Port}", target.GetProperty("target").GetString());
        Assert.True(target.GetProperty("healthy").GetBoolean());
        Assert.Equal(3, _origin.RequestCount);
        Assert.Equal(3, target.GetProperty("requests").GetInt64());
        Assert.Equal(0, target.GetProperty("failures").GetInt64());
    }

    [Fact]
    public void Metrics_KnownTraffic_MatchingPrometheusLines()
    {
        RunKnownSequence();

        var response = Admin("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, response.Status());
        Assert.StartsWith("text/plain; version=0.0.4", response.Header("Content-Type"));
        var lines = response.BodyText.Split('\n');
        Assert.Contains("inverseproxy_requests_total{status=\"2xx\"} 4", lines);
        Assert.Contains("inverseproxy_requests_total{status=\"4xx\"} 1", lines);
        Assert.Contains("inverseproxy_requests_by_method_total{method=\"GET\"} 4", lines);
        Assert.Contains("inverseproxy_requests_by_method_total{method=\"POST\"} 1", lines);
        Assert.Contains("inverseproxy_cache_hits_total 2", lines);
        Assert.Contains("inverseproxy_cache_entries 1", lines);
        Assert.Contains($"inverseproxy_target_up{{target=\"127.0.0.1:{_origin.Port}\"}} 1", lines);
        Assert.Contains($"inverseproxy_target_requests_total{{target=\"127.0.0.1:{_origin.Port}\"}} 3", lines);
    }

    [Fact]
    public void BytesIn_KeepAliveRequests_CountHeadsAndBodies()
    {
        const string get = "GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n";
        const string post = "POST /form HTTP/1.1\r\nHost: ops.test\r\nContent-Length: 3\r\n\r\na=1";
        using var client = new RawClient(_proxy.Port);

        client.Exchange(get);
        client.Exchange(post);

        Assert.True(Poll.Until(() => _proxy.Server.Metrics.Requests == 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(get.Length + post.Length, _proxy.Server.Metrics.BytesIn);
        Assert.Contains($"inverseproxy_bytes_received_total {get.Length + post.Length}", Admin("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText.Split('\n'));
    }

    [Fact]
    public void Root_Get_ReturnsTheDashboardPage()
    {
        var response = Admin("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, response.Status());
        Assert.StartsWith("text/html", response.Header("Content-Type"));
        Assert.Contains("<title>InverseProxy</title>", response.BodyText);
        Assert.Contains("/proxy-stats", response.BodyText);
    }

    [Fact]
    public void Dashboard_EveryStatsFieldItReads_IsInProxyStats()
    {
        RunKnownSequence();
        string page = Admin("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").BodyText;
        using var json = JsonDocument.Parse(Admin("GET /proxy-stats HTTP/1.1\r\nHost: localhost\r\n\r\n").Body);
        var root = json.RootElement;
        // The page names the report s, its cache object c, its upstream object u and each target t.
        var scopes = new Dictionary<string, JsonElement>
        {
            ["s"] = root,
            ["c"] = root.GetProperty("cache"),
            ["u"] = root.GetProperty("upstream"),
            ["t"] = root.GetProperty("upstream").GetProperty("targets")[0],
        };

        var reads = Regex.Matches(page, @"\b([scut])((?:\.[a-zA-Z][a-zA-Z0-9_]*)+)")
            .Select(m => (Scope: m.Groups[1].Value, Path: m.Groups[2].Value)).Distinct().ToList();

        Assert.Contains(reads, r => r.Path == ".connections_idle");
        var missing = reads.Where(r => !Resolves(scopes[r.Scope], r.Path.Split('.', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.True(missing.Count == 0, "not in /proxy-stats: " + string.Join(", ", missing.Select(r => r.Scope + r.Path)));
    }

    private static bool Resolves(JsonElement element, string[] path)
    {
        foreach (string name in path)
        {
            if (element.ValueKind == JsonValueKind.Array && name is "map" or "length")
            {
                return true;
            }
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return name is "toFixed";
            }
        }
        return true;
    }

    [Fact]
    public void Purge_StoredEntry_RemovedAndNextGetReachesTheOrigin()
    {
        using var client = new RawClient(_proxy.Port);
        client.Exchange("GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n");
        client.Exchange("GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n");
        Assert.Equal(1, _origin.RequestCount);

        var purged = Admin("PURGE http://ops.test/cached HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(200, purged.Status());
        Assert.Equal("purged 1\n", purged.BodyText);
        var again = client.Exchange("GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n");
        Assert.Equal("cached body", again.BodyText);
        Assert.Equal(2, _origin.RequestCount);
    }

    [Fact]
    public void Purge_NothingStored_Returns404()
    {
        var response = Admin("PURGE http://ops.test/never HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(404, response.Status());
        Assert.Equal("not in cache\n", response.BodyText);
    }

    [Fact]
    public void UnknownPath_Get_Returns404()
    {
        var response = Admin("GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.Equal(404, response.Status());
        Assert.Contains("/proxy-stats", response.BodyText);
        Assert.Equal(0, _origin.RequestCount);
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _origin.Dispose();
    }

    /// <summary>3 GETs of a cacheable URL (1 miss, 2 hits), 1 POST, 1 GET the origin answers 404: 5 requests, 3 forwarded.</summary>
    private void RunKnownSequence()
    {
        using var client = new RawClient(_proxy.Port);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("cached body", client.Exchange("GET /cached HTTP/1.1\r\nHost: ops.test\r\n\r\n").BodyText);
        }
        Assert.Equal(200, client.Exchange("POST /form HTTP/1.1\r\nHost: ops.test\r\nContent-Length: 3\r\n\r\na=1").Status());
        Assert.Equal(404, client.Exchange("GET /dead HTTP/1.1\r\nHost: ops.test\r\n\r\n").Status());
        // The counters are bumped once a response is written; wait for the last one rather than race it.
        Assert.True(Poll.Until(() => _proxy.Server.Metrics.Requests == 5, TimeSpan.FromSeconds(10)));
    }

    private WireMessage Admin(string request)
    {
        using var client = new RawClient(_adminPort);
        var response = client.Exchange(request);
        Assert.Equal("close", response.Header("Connection"));
        return response;
    }
}
