using System.Net;
using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using InverseProxy.Proxy.Policy;

namespace InverseProxy.Benchmarks;

/// <summary>
/// The rate limit's hit path: one known client, under its limit, among 10,000 tracked. The hand-written bucket table
/// (ClientRateLimiter) against System.Threading.RateLimiting's partitioned token bucket doing the same job.
/// </summary>
[MemoryDiagnoser]
public class RateLimiterBenchmarks
{
    private const int Clients = 10_000;

    private readonly IPAddress _client = IPAddress.Parse("10.0.42.42");
    private ClientRateLimiter _handWritten = null!;
    private PartitionedRateLimiter<IPAddress> _partitioned = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handWritten = new ClientRateLimiter(new RateLimit(1_000_000_000, 's'), burst: 0, maxClients: 100_000, TimeProvider.System);
        _partitioned = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1_000_000_000,
                TokensPerPeriod = 100_000_000,
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                QueueLimit = 0,
            }));
        for (int i = 0; i < Clients; i++)
        {
            var address = new IPAddress([10, 0, (byte)(i >> 8), (byte)i]);
            _handWritten.TryAcquire(address, out _);
            _partitioned.AttemptAcquire(address).Dispose();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _partitioned.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written token bucket table")]
    public bool HandWritten() => _handWritten.TryAcquire(_client, out _);

    [Benchmark(Description = "System.Threading.RateLimiting partitioned token bucket")]
    public bool Partitioned()
    {
        using var lease = _partitioned.AttemptAcquire(_client);
        return lease.IsAcquired;
    }
}
