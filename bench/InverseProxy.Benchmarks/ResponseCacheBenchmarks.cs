using BenchmarkDotNet.Attributes;
using InverseProxy.Caching;
using InverseProxy.Http;

namespace InverseProxy.Benchmarks;

[MemoryDiagnoser]
public class ResponseCacheBenchmarks
{
    private const int Entries = 10_000;
    private const int BodySize = 1024;

    private ResponseCache _cache = null!;
    private RequestHead _hit = null!;
    private RequestHead _miss = null!;
    private RequestHead _store = null!;
    private string _hitKey = "";
    private string _missKey = "";
    private string _storeKey = "";
    private ResponseHead _storeResponse = null!;
    private byte[] _storeBody = [];

    [GlobalSetup]
    public void Setup()
    {
        _cache = new ResponseCache(Fixtures.CacheOptions(256L * 1024 * 1024, 1024 * 1024), TimeProvider.System);
        Fixtures.Fill(_cache, Entries, BodySize);
        _hit = Fixtures.Get("/obj?i=4242");
        _miss = Fixtures.Get("/obj?i=absent");
        _store = Fixtures.Get("/stored?i=1");
        _storeResponse = Fixtures.Ok(BodySize);
        _storeBody = new byte[BodySize];
        _hitKey = Fixtures.KeyOf(_hit);
        _missKey = Fixtures.KeyOf(_miss);
        _storeKey = Fixtures.KeyOf(_store);
        if (_cache.Lookup(_hitKey, _hit).Kind != CacheLookupKind.Fresh)
        {
            throw new InvalidOperationException("the hit key is not stored");
        }
    }

    [Benchmark(Description = "Lookup hit (10,000 entries)")]
    public object? LookupHit() => _cache.Lookup(_hitKey, _hit).Entry;

    [Benchmark(Description = "Lookup miss (10,000 entries)")]
    public object? LookupMiss() => _cache.Lookup(_missKey, _miss).Entry;

    /// <summary>Evaluate + Store of a 1 KB response, as the proxy does per cacheable miss (replaces the same key).</summary>
    [Benchmark(Description = "Evaluate + Store 1 KB response")]
    public object? Store()
    {
        var now = TimeProvider.System.GetUtcNow();
        var decision = _cache.Evaluate(_store, _storeResponse, now, now);
        return _cache.Store(_storeKey, _store, _storeResponse, _storeBody, decision);
    }
}
