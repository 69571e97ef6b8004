using System.Collections.Concurrent;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace InverseProxy.Caching.Shared;

/// <summary>
/// The second-level cache on Redis, shared by every instance with the same <c>redis</c> and <c>redis_prefix</c>.
/// <para>Layout: one Redis hash per primary key, <c>{prefix}{primary key}</c>; each field is a variant's full cache key
/// (the primary key plus its Vary values) and its value that variant as a cache file record
/// (<see cref="SharedRecordCodec"/>). A lookup is one HGETALL, and the variant is chosen as in memory; a purge is one
/// DEL. The hash expires when its longest-lived variant does: remaining freshness plus any stale window.</para>
/// <para>Reads happen on the request's thread, only after a miss in memory, bounded by redis_timeout; writes go through
/// a bounded queue to one background thread; invalidations are published on <c>{prefix}invalidate</c>, and every
/// instance drops its own copy when it hears one. Redis failing never fails a request: the call counts as an error,
/// the request goes on as a miss, and <see cref="SharedCircuit"/> skips Redis after repeated failures.</para>
/// </summary>
internal sealed partial class SharedCache : IDisposable
{
    /// <summary>Stores waiting for the writer; beyond, they are dropped and counted.</summary>
    public const int QueueCapacity = 1024;

    private readonly ResponseCache _local;
    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly TimeSpan _timeout;
    private readonly string _prefix;
    private readonly RedisChannel _channel;
    private readonly string _instance = Guid.NewGuid().ToString("N"); // tells our own invalidations apart
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BlockingCollection<CachedResponse> _queue = new(QueueCapacity);
    private readonly Thread _writer;
    private bool _subscribed; // written by the constructor, then by the writer thread only

    private SharedCache(ProxyOptions options, ResponseCache local, TimeProvider time, ILogger logger)
    {
        _local = local;
        _time = time;
        _logger = logger;
        _timeout = options.RedisTimeout;
        _prefix = options.RedisPrefix;
        _channel = RedisChannel.Literal(_prefix + "invalidate");
        Circuit = new SharedCircuit(time);
        _redis = ConnectionMultiplexer.Connect(Configure(options));
        _redis.ConnectionFailed += (_, e) => Log.SharedCacheConnectionFailed(_logger, e.EndPoint?.ToString() ?? "redis", e.FailureType.ToString());
        _redis.ConnectionRestored += (_, e) => Log.SharedCacheConnectionRestored(_logger, e.EndPoint?.ToString() ?? "redis");
        _db = _redis.GetDatabase(options.RedisDb);
        TrySubscribe();
        _writer = new Thread(WriteLoop) { Name = "shared-cache-writer", IsBackground = true };
        _writer.Start();
    }

    public SharedCircuit Circuit { get; }

    public SharedCacheStatistics Statistics { get; } = new();

    public SharedCacheCounters Counters() => Statistics.Snapshot(Circuit.State);

    /// <summary>Whether the client holds a connection to Redis now.</summary>
    public bool IsConnected => _redis.IsConnected;

    /// <summary>Whether this instance hears invalidations (the client renews the subscription after reconnects).</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscribed);

    /// <summary>Connects (without waiting for Redis to be up: the client keeps trying in the background).</summary>
    public static SharedCache Start(ProxyOptions options, ResponseCache local, TimeProvider time, ILogger logger) =>
        new(options, local, time, logger);

    /// <summary>
    /// After a miss in memory (<paramref name="local"/>): the matching variant from Redis, judged by the request's
    /// directives and copied into memory; <paramref name="local"/> when Redis has none, is skipped or fails.
    /// </summary>
    public CacheLookup Lookup(string primary, RequestHead request, CacheLookup local)
    {
        if (!Circuit.TryPass())
        {
            return local;
        }
        if (Await(_db.HashGetAllAsync(_prefix + primary)) is not { } fields)
        {
            return local;
        }
        var now = _time.GetUtcNow();
        CachedResponse? found = null;
        foreach (var field in fields)
        {
            if (SharedRecordCodec.Decode((byte[])field.Value!) is { } entry && entry.PrimaryKey == primary
                && VaryFields.Matches(entry.VaryNames, entry.VaryValues, request) && RemainingLife(entry, now) > TimeSpan.Zero)
            {
                found = entry;
                break;
            }
        }
        if (found is null)
        {
            Statistics.RecordMiss();
            return local;
        }
        Statistics.RecordHit();
        _local.Adopt(found);
        return new CacheLookup(CachePolicy.Classify(found, local.Directives, now), found, local.Directives, now);
    }

    /// <summary>Queues a stored entry for Redis; never blocks. A full queue drops it (counted).</summary>
    public void Enqueue(CachedResponse entry)
    {
        try
        {
            if (_queue.TryAdd(entry))
            {
                return;
            }
        }
        catch (InvalidOperationException)
        {
            // Stopping: the writer takes no more.
        }
        Statistics.RecordDrop();
    }

    /// <summary>PURGE: deletes the resource from Redis and tells every instance to drop its copy (bounded by redis_timeout).</summary>
    public void Invalidate(string primary) => Invalidate([primary]);

    /// <summary>RFC 9111 §4.4 across the fleet: the keys <see cref="ResponseCache.InvalidateAfterUnsafe"/> dropped here.</summary>
    public void InvalidateAfterUnsafe(string method, string primary, int status, HttpHeaders responseHeaders)
    {
        var keys = CachePolicy.InvalidationKeys(method, primary, status, responseHeaders);
        if (keys.Count > 0)
        {
            Invalidate(keys);
        }
    }

    /// <summary>
    /// Not gated by the circuit: an invalidation matters more than a lookup, and with Redis down it fails at once
    /// (fail-fast backlog policy). The commands still run if the wait for them times out.
    /// </summary>
    private void Invalidate(IReadOnlyList<string> primaries)
    {
        var batch = _db.CreateBatch();
        var sent = new Task[primaries.Count * 2];
        for (int i = 0; i < primaries.Count; i++)
        {
            sent[2 * i] = batch.KeyDeleteAsync(_prefix + primaries[i]);
            sent[2 * i + 1] = batch.PublishAsync(_channel, _instance + " " + primaries[i]);
        }
        batch.Execute();
        Completed(Task.WhenAll(sent), _timeout, countInCircuit: false);
    }

    private void OnInvalidation(RedisChannel channel, RedisValue message)
    {
        string text = message.ToString();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && !text.AsSpan(0, space).SequenceEqual(_instance))
        {
            _local.Invalidate(text[(space + 1)..]);
        }
    }

    /// <summary>How much longer Redis should keep <paramref name="entry"/>: its freshness plus the longer stale window.</summary>
    private static TimeSpan RemainingLife(CachedResponse entry, DateTimeOffset now)
    {
        var window = entry.MustRevalidate ? TimeSpan.Zero
            : entry.StaleWhileRevalidate > entry.StaleIfError ? entry.StaleWhileRevalidate : entry.StaleIfError;
        return entry.ExpiresAt + window - now;
    }

    private static ConfigurationOptions Configure(ProxyOptions options)
    {
        int timeoutMs = Math.Max(1, (int)options.RedisTimeout.TotalMilliseconds);
        var config = new ConfigurationOptions
        {
            AbortOnConnectFail = false, // start even when Redis is down, and keep reconnecting
            BacklogPolicy = BacklogPolicy.FailFast, // while disconnected, fail at once instead of queueing
            ConnectTimeout = Math.Max(timeoutMs, 1000),
            SyncTimeout = timeoutMs,
            AsyncTimeout = Math.Max(timeoutMs, 1000),
            ConnectRetry = 1,
            ReconnectRetryPolicy = new LinearRetry(500),
            DefaultDatabase = options.RedisDb,
            Password = options.RedisPassword.Length == 0 ? null : options.RedisPassword,
            ClientName = "inverseproxy",
        };
        foreach (var item in EndpointParsers.SplitList(options.Redis))
        {
            if (EndpointParsers.TryParseTarget(item, out var endPoint)) // the validator refused any other
            {
                config.EndPoints.Add(endPoint.Host, endPoint.Port);
            }
        }
        return config;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(2));
        _redis.Dispose();
        _queue.Dispose();
    }
}
