using System.Net;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// A token bucket per client address, in a table bounded by <c>rate_limit_clients</c>: past it the client seen least
/// recently is dropped (and starts with a full bucket if it comes back). One lock guards the table and the buckets;
/// inside it only O(1) map and list work. A known client costs no allocation.
/// </summary>
internal sealed class ClientRateLimiter
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _perTick;
    private readonly double _capacity;
    private readonly int _maxClients;

    // Guarded by _gate: the buckets by address, and their recency list (_newest first).
    private readonly Dictionary<IPAddress, Bucket> _buckets = new();
    private Bucket? _newest;
    private Bucket? _oldest;

    public ClientRateLimiter(RateLimit limit, int burst, int maxClients, TimeProvider time)
    {
        Limit = limit;
        Burst = burst;
        _time = time;
        _perTick = limit.PerSecond / time.TimestampFrequency;
        _capacity = burst > 0 ? burst : limit.Count;
        _maxClients = maxClients;
    }

    public RateLimit Limit { get; }

    public int Burst { get; }

    public int MaxClients => _maxClients;

    public int Clients
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Takes one token for <paramref name="client"/>; when none is left, false and the whole seconds until one is.</summary>
    public bool TryAcquire(IPAddress client, out int retryAfterSeconds)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            var bucket = Touch(client, now);
            bucket.Tokens = Math.Min(_capacity, bucket.Tokens + (now - bucket.Updated) * _perTick);
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }
            double wait = (1 - bucket.Tokens) / (_perTick * _time.TimestampFrequency);
            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(wait));
            return false;
        }
    }

    /// <summary>The bucket of <paramref name="client"/>, made full if new, moved to the front of the recency list.</summary>
    private Bucket Touch(IPAddress client, long now)
    {
        if (_buckets.TryGetValue(client, out var bucket))
        {
            if (bucket != _newest)
            {
                Unlink(bucket);
                LinkFirst(bucket);
            }
            return bucket;
        }
        if (_buckets.Count >= _maxClients && _oldest is { } oldest)
        {
            Unlink(oldest);
            _buckets.Remove(oldest.Client);
        }
        bucket = new Bucket(client) { Tokens = _capacity, Updated = now };
        _buckets.Add(client, bucket);
        LinkFirst(bucket);
        return bucket;
    }

    private void LinkFirst(Bucket bucket)
    {
        bucket.Previous = null;
        bucket.Next = _newest;
        if (_newest is not null)
        {
            _newest.Previous = bucket;
        }
        _newest = bucket;
        _oldest ??= bucket;
    }

    private void Unlink(Bucket bucket)
    {
        if (bucket.Previous is null)
        {
            _newest = bucket.Next;
        }
        else
        {
            bucket.Previous.Next = bucket.Next;
        }
        if (bucket.Next is null)
        {
            _oldest = bucket.Previous;
        }
        else
        {
            bucket.Next.Previous = bucket.Previous;
        }
        bucket.Previous = bucket.Next = null;
    }

    /// <summary>One client's tokens; fields guarded by the limiter's lock.</summary>
    private sealed class Bucket(IPAddress client)
    {
        public IPAddress Client { get; } = client;

        public double Tokens { get; set; }

        public long Updated { get; set; }

        public Bucket? Previous { get; set; }

        public Bucket? Next { get; set; }
    }
}
