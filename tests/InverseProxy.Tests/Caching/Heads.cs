using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Caching;

/// <summary>Builders for the heads and caches the caching tests use.</summary>
internal static class Heads
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static HttpHeaders Fields(params (string Name, string Value)[] fields) => new(fields.Select(f => new HttpHeader(f.Name, f.Value)));

    public static RequestHead Request(string method, string target, params (string Name, string Value)[] headers)
    {
        var fields = new HttpHeaders();
        if (!headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            fields.Add("Host", "example.com");
        }
        foreach (var (name, value) in headers)
        {
            fields.Add(name, value);
        }
        return new RequestHead(method, target, HttpVersion.Http11, fields);
    }

    public static RequestHead Get(string target, params (string Name, string Value)[] headers) => Request("GET", target, headers);

    public static ResponseHead Response(int status, params (string Name, string Value)[] headers)
    {
        var fields = new HttpHeaders();
        foreach (var (name, value) in headers)
        {
            fields.Add(name, value);
        }
        return new ResponseHead(HttpVersion.Http11, status, status == 200 ? "OK" : "Status", fields);
    }

    public static ResponseHead Ok(params (string Name, string Value)[] headers) => Response(200, headers);

    public static string Date(DateTimeOffset at) => HttpDate.Format(at);

    public static ProxyOptions Options(long cacheSize = 1024 * 1024, long maxEntrySize = 64 * 1024) =>
        new() { CacheSize = cacheSize, MaxEntrySize = maxEntrySize, Ttl = TimeSpan.FromSeconds(60) };

    public static (ResponseCache Cache, ManualTimeProvider Clock) Cache(ProxyOptions? options = null)
    {
        var clock = new ManualTimeProvider(Start);
        return (new ResponseCache(options ?? Options(), clock), clock);
    }

    /// <summary>Evaluates and stores a response at the clock's current time, as the forwarder would.</summary>
    public static CachedResponse? Put(ResponseCache cache, ManualTimeProvider clock, RequestHead request, ResponseHead response, byte[] body)
    {
        var now = clock.GetUtcNow();
        var decision = cache.Evaluate(request, response, now, now);
        return cache.Store(request, "http", response, body, decision);
    }

    /// <summary>The Size an entry would count in a cache of its own, for tests that size a cache in entries.</summary>
    public static long SizeOf(RequestHead request, ResponseHead response, byte[] body)
    {
        var (probe, clock) = Cache();
        return Put(probe, clock, request, response, body)!.Size;
    }

    public static long SizeOf(string target, string body) => SizeOf(Get(target), Ok(), System.Text.Encoding.ASCII.GetBytes(body));

    /// <summary>The cache's entries as a flush would write them, most recently used first; no write left in progress.</summary>
    public static PersistedEntry[] Entries(ResponseCache cache)
    {
        var snapshot = cache.Snapshot(out _);
        cache.EndSnapshot();
        return snapshot.Select(e => e!).ToArray();
    }

    public static CachedResponse? Put(ResponseCache cache, ManualTimeProvider clock, string target, string body, params (string, string)[] responseHeaders) =>
        Put(cache, clock, Get(target), Ok(responseHeaders), System.Text.Encoding.ASCII.GetBytes(body));
}
