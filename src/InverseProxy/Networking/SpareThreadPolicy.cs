namespace InverseProxy.Networking;

/// <summary>
/// How many idle connection threads to keep ready. A fixed <c>spare_threads</c> left a burst of thousands of new
/// clients waiting while threads were created one by one under load (9,000 clients on the defaults: thousands of
/// timeouts in bench/concurrency.sh). So spares follow demand: enough that all threads reach
/// <see cref="PeakMultiple"/> times the recent peak of connections, never fewer than spare_threads, never beyond
/// max_connections. The peak decays by half every <see cref="PeakHalfLife"/>, so threads made for a burst stay
/// parked for the next one and retire slowly once bursts stop. Not thread-safe: the caller's lock guards it.
/// </summary>
internal sealed class SpareThreadPolicy
{
    /// <summary>Threads kept, as a multiple of the recent peak of connections: growth stays ahead of a rising burst.</summary>
    public const int PeakMultiple = 2;

    /// <summary>How fast the remembered peak fades once connections drop.</summary>
    public static readonly TimeSpan PeakHalfLife = TimeSpan.FromMinutes(2);

    private readonly int _minSpares;
    private readonly int _maxThreads;
    private readonly TimeProvider _time;
    private double _peak;   // connections at the last observation, decayed since _peakAt
    private long _peakAt;   // timestamp of _peak

    public SpareThreadPolicy(int minSpares, int maxThreads, TimeProvider time)
    {
        _minSpares = minSpares;
        _maxThreads = maxThreads;
        _time = time;
        _peakAt = time.GetTimestamp();
    }

    /// <summary>The recent peak of connections, as decayed now.</summary>
    public double RecentPeak => Decayed(_time.GetTimestamp());

    /// <summary>Records <paramref name="demand"/>: connections being served or waiting for a thread.</summary>
    public void Observe(int demand)
    {
        long now = _time.GetTimestamp();
        _peak = Math.Max(demand, Decayed(now));
        _peakAt = now;
    }

    /// <summary>Idle threads wanted while <paramref name="demand"/> connections are served or waiting.</summary>
    public int SparesWanted(int demand)
    {
        int target = (int)Math.Min(int.MaxValue, Math.Ceiling(PeakMultiple * RecentPeak));
        int wanted = Math.Max(_minSpares, target - demand);
        return Math.Max(0, Math.Min(wanted, _maxThreads - demand));
    }

    private double Decayed(long now)
    {
        double halfLives = _time.GetElapsedTime(_peakAt, now) / PeakHalfLife;
        return halfLives <= 0 ? _peak : _peak * Math.Pow(0.5, halfLives);
    }
}
