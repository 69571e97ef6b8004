using InverseProxy.Logging;
using StackExchange.Redis;

namespace InverseProxy.Caching.Shared;

internal sealed partial class SharedCache
{
    /// <summary>A write waits at least this long: it runs in the background, where a short wait would only count errors.</summary>
    private static readonly TimeSpan MinWriteWait = TimeSpan.FromSeconds(1);

    /// <summary>How often the idle writer retries a subscription that failed (Redis down or slow at start).</summary>
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromMilliseconds(250);

    private void WriteLoop()
    {
        while (!_queue.IsCompleted)
        {
            if (!_subscribed)
            {
                TrySubscribe();
            }
            try
            {
                if (_queue.TryTake(out var entry, SubscribeRetry))
                {
                    Write(entry);
                }
            }
            catch (ObjectDisposedException)
            {
                return; // stopping
            }
        }
    }

    /// <summary>
    /// Subscribes to the invalidation channel. A subscription that failed is not retried by the client, so the
    /// writer thread retries until one succeeds; after that the client renews it on each reconnect.
    /// </summary>
    private void TrySubscribe()
    {
        if (!_redis.IsConnected)
        {
            return;
        }
        try
        {
            _redis.GetSubscriber().Subscribe(_channel, OnInvalidation);
            Volatile.Write(ref _subscribed, true);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Statistics.RecordError();
        }
    }

    /// <summary>
    /// HSET of the variant, then the hash's expiry: set if it has none, lengthened if this variant lives longer
    /// (EXPIRE NX / GT, Redis 7.0), so a short-lived variant never cuts a longer one short.
    /// </summary>
    private void Write(CachedResponse entry)
    {
        var ttl = RemainingLife(entry, _time.GetUtcNow());
        if (ttl <= TimeSpan.Zero || SharedRecordCodec.Encode(entry) is not { } value)
        {
            return;
        }
        if (!Circuit.TryPass())
        {
            Statistics.RecordDrop();
            return;
        }
        RedisKey key = _prefix + entry.PrimaryKey;
        var batch = _db.CreateBatch();
        var set = batch.HashSetAsync(key, entry.Key, value);
        var first = batch.KeyExpireAsync(key, ttl, ExpireWhen.HasNoExpiry);
        var longer = batch.KeyExpireAsync(key, ttl, ExpireWhen.GreaterThanCurrentExpiry);
        batch.Execute();
        if (Completed(Task.WhenAll(set, first, longer), _timeout > MinWriteWait ? _timeout : MinWriteWait, countInCircuit: true))
        {
            Statistics.RecordStore();
        }
    }

    /// <summary>The call's result within redis_timeout; null (an error, counted) when it failed or took longer.</summary>
    private T? Await<T>(Task<T> call) where T : class =>
        Completed(call, _timeout, countInCircuit: true) ? call.Result : null;

    private bool Completed(Task call, TimeSpan wait, bool countInCircuit)
    {
        string failure;
        try
        {
            if (call.Wait(wait))
            {
                if (countInCircuit)
                {
                    Circuit.Succeeded();
                }
                return true;
            }
            Observe(call);
            failure = "no answer within " + ValueText(wait);
        }
        catch (AggregateException e)
        {
            failure = e.InnerException?.Message ?? e.Message;
        }
        Statistics.RecordError();
        if (countInCircuit && Circuit.Failed())
        {
            Log.SharedCacheCircuitOpened(_logger, failure, Circuit.OpenFor.TotalSeconds);
        }
        return false;
    }

    private static string ValueText(TimeSpan wait) => Configuration.ValueParsers.FormatDuration(wait);

    /// <summary>A call given up on may still fail later; its exception is observed here, not left to the finalizer.</summary>
    private static void Observe(Task call) =>
        call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
