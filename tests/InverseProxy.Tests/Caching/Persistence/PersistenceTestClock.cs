namespace InverseProxy.Tests.Caching.Persistence;

/// <summary>A clock that moves only when told; its timers fire on the thread that calls <see cref="Advance"/>.</summary>
internal sealed class PersistenceTestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TestTimer> _timers = [];
    private DateTimeOffset _now = start;

    /// <summary>Set when any timer of this clock is disposed.</summary>
    public ManualResetEventSlim TimerDisposed { get; } = new();

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        return GetUtcNow().UtcTicks;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TestTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (NextDue(target) is TestTimer timer)
        {
            timer.Fire();
        }

        lock (_gate)
        {
            _now = target;
        }
    }

    private TestTimer? NextDue(DateTimeOffset target)
    {
        lock (_gate)
        {
            TestTimer? next = _timers.Where(t => t.DueAt is { } due && due <= target).MinBy(t => t.DueAt);
            if (next is not null)
            {
                _now = next.DueAt!.Value;
            }

            return next;
        }
    }

    private sealed class TestTimer(PersistenceTestClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
            _period = period;
            return true;
        }

        public void Fire()
        {
            DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : DueAt + _period;
            callback(state);
        }

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }

            DueAt = null;
            clock.TimerDisposed.Set();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
