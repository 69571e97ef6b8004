using Microsoft.Extensions.Logging;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// Writes the cache to its file every interval when it has changed since the last successful write. Timer ticks
/// only wake the dedicated "cache-flusher" thread, so ticks that arrive during a long write coalesce instead of
/// queueing; <see cref="FlushNow"/> and ticks share one gate, so two writes never overlap. Failures are reported
/// and retried on the next tick; nothing escapes the thread.
/// </summary>
internal sealed class CacheFlusher : IDisposable
{
    private readonly ICacheSnapshotSource _source;
    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<FlushOutcome>? _onFlushAttempt;
    private readonly Thread _thread;

    // Serialises writes; guards _persistedVersion and _lastOutcome.
    private readonly Lock _flushGate = new();
    private long? _persistedVersion;
    private FlushOutcome? _lastOutcome;

    // Guards _tickPending, _stopping, _started and _timer; the thread waits on it (Monitor, hence a plain object).
    private readonly object _signal = new();
    private bool _tickPending;
    private bool _stopping;
    private bool _started;

    private ITimer? _timer;

    // Replaced whole under _flushGate, read without a lock.
    private FlushStatistics _statistics = FlushStatistics.None;

    /// <param name="persistedVersion">
    /// The change version already on disk (after loading the file into the cache), or null to write on the first tick.
    /// </param>
    /// <param name="onFlushAttempt">Called after every attempt, on the thread that made it.</param>
    public CacheFlusher(
        ICacheSnapshotSource source,
        string path,
        TimeSpan interval,
        TimeProvider time,
        ILogger logger,
        long? persistedVersion = null,
        Action<FlushOutcome>? onFlushAttempt = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _source = source;
        _path = path;
        _interval = interval;
        _time = time;
        _logger = logger;
        _persistedVersion = persistedVersion;
        _onFlushAttempt = onFlushAttempt;
        _thread = new Thread(Run) { Name = "cache-flusher", IsBackground = true };
    }

    public FlushStatistics Statistics => Volatile.Read(ref _statistics);

    public void Start()
    {
        lock (_signal)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_started)
            {
                return;
            }

            _started = true;
            _thread.Start();
            _timer = _time.CreateTimer(static state => ((CacheFlusher)state!).Wake(), this, _interval, _interval);
        }

        PersistenceLog.FlusherStarted(_logger, _path, _interval);
    }

    /// <summary>Writes now, on the calling thread, if the cache changed. Usable before and after <see cref="Dispose"/>.</summary>
    public FlushOutcome FlushNow()
    {
        FlushOutcome outcome = FlushIfChanged();
        _onFlushAttempt?.Invoke(outcome);
        return outcome;
    }

    /// <summary>Stops the timer and waits for a write in progress to finish.</summary>
    public void Dispose()
    {
        bool started;
        lock (_signal)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            started = _started;
            Monitor.PulseAll(_signal);
        }

        // Outside the lock: a timer callback in flight takes it to signal the thread.
        _timer?.Dispose();

        if (started && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        lock (_flushGate)
        {
            // Waits for a FlushNow running on another thread.
        }

        PersistenceLog.FlusherStopped(_logger, _path);
    }

    private void Wake()
    {
        lock (_signal)
        {
            _tickPending = true;
            Monitor.Pulse(_signal);
        }
    }

    private void Run()
    {
        while (true)
        {
            lock (_signal)
            {
                while (!_tickPending && !_stopping)
                {
                    Monitor.Wait(_signal);
                }

                if (_stopping)
                {
                    return;
                }

                _tickPending = false;
            }

            try
            {
                FlushNow();
            }
            catch (Exception ex)
            {
                // An exception escaping a thread ends the process; the next tick is the retry.
                PersistenceLog.CacheFlushCrashed(_logger, _path, ex);
            }
        }
    }

    private FlushOutcome FlushIfChanged()
    {
        lock (_flushGate)
        {
            if (_persistedVersion is long persisted && persisted == _source.ChangeVersion)
            {
                return FlushOutcome.Unchanged;
            }

            DateTimeOffset startedAt = _time.GetUtcNow();
            long started = _time.GetTimestamp();
            try
            {
                // Snapshot holds the cache lock only to copy references; all I/O happens after it returns.
                IReadOnlyList<PersistedEntry?> entries = _source.Snapshot(out long version);
                CacheWriteResult result;
                try
                {
                    result = CacheFileWriter.Write(_path, entries, startedAt);
                }
                finally
                {
                    _source.EndSnapshot();
                }
                return Record(result, version, startedAt, _time.GetElapsedTime(started));
            }
            catch (Exception ex)
            {
                PersistenceLog.CacheFlushCrashed(_logger, _path, ex);
                return Record(CacheWriteResult.Failed(ex), 0, startedAt, _time.GetElapsedTime(started));
            }
        }
    }

    // Called under _flushGate.
    private FlushOutcome Record(CacheWriteResult result, long version, DateTimeOffset at, TimeSpan duration)
    {
        FlushStatistics previous = _statistics;
        (FlushOutcome outcome, FlushStatistics next) = result.Outcome switch
        {
            CacheWriteOutcome.Written => (FlushOutcome.Written, RecordWritten(previous, result, version, at, duration)),
            CacheWriteOutcome.RefusedNewerVersion => (FlushOutcome.RefusedNewerVersion, previous with
            {
                LastError = $"file has the newer format version {result.ExistingVersion}",
                LastErrorAt = at,
            }),
            _ => (FlushOutcome.Failed, previous with
            {
                LastError = result.Error?.Message,
                LastErrorAt = at,
                FailureCount = previous.FailureCount + 1,
            }),
        };

        if (outcome == FlushOutcome.RefusedNewerVersion && _lastOutcome != outcome)
        {
            PersistenceLog.CacheFlushRefused(_logger, _path, result.ExistingVersion ?? 0);
        }
        else if (outcome == FlushOutcome.Failed && result.Error is IOException or UnauthorizedAccessException)
        {
            PersistenceLog.CacheFlushFailed(_logger, _path, result.Error);
        }

        _lastOutcome = outcome;
        Volatile.Write(ref _statistics, next with { LastOutcome = outcome, LastAttemptAt = at });
        return outcome;
    }

    private FlushStatistics RecordWritten(
        FlushStatistics previous, CacheWriteResult result, long version, DateTimeOffset at, TimeSpan duration)
    {
        _persistedVersion = version;
        PersistenceLog.CacheFlushed(_logger, result.EntriesWritten, result.BytesWritten, _path, duration.TotalMilliseconds);
        if (result.EntriesSkipped > 0)
        {
            PersistenceLog.EntriesSkipped(_logger, result.EntriesSkipped, _path);
        }
        if (result.DirectorySyncError is not null)
        {
            PersistenceLog.DirectorySyncFailed(_logger, _path, result.DirectorySyncError);
        }

        return previous with
        {
            LastFlushAt = at,
            LastFlushDuration = duration,
            LastFlushBytes = result.BytesWritten,
            LastFlushEntries = result.EntriesWritten,
            PersistedVersion = version,
            FlushCount = previous.FlushCount + 1,
        };
    }
}
