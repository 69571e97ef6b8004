namespace InverseProxy.LoadTest;

/// <summary>
/// Latencies in microseconds, counted in log-linear buckets: exact below 64 µs, then 32 buckets per power of two
/// (within about 3% of the true value), up to about 19 hours. One histogram per worker, so recording takes no lock;
/// the run adds them together at the end. Not thread-safe.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 64;
    private const int SubBuckets = 32;
    private const int SubBits = 5;
    private const int Octaves = 31;

    private readonly long[] _counts = new long[Linear + Octaves * SubBuckets];

    public long Count { get; private set; }

    public void Record(TimeSpan latency)
    {
        long micros = Math.Max(0, latency.Ticks / TimeSpan.TicksPerMicrosecond);
        _counts[IndexOf(micros)]++;
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
    }

    /// <summary>The latency at or below which <paramref name="quantile"/> of the samples fall (the bucket's upper end); zero when empty.</summary>
    public TimeSpan Percentile(double quantile)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }
        long rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(UpperBound(i));
            }
        }
        return TimeSpan.FromMicroseconds(UpperBound(_counts.Length - 1));
    }

    private int IndexOf(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }
        int log2 = 63 - (int)long.LeadingZeroCount(micros); // >= 6
        int shift = log2 - SubBits;
        int octave = log2 - 6;
        if (octave >= Octaves)
        {
            return _counts.Length - 1;
        }
        int sub = (int)(micros >> shift) - SubBuckets; // 0..31: the five bits after the leading one
        return Linear + octave * SubBuckets + sub;
    }

    private static long UpperBound(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        int octave = (index - Linear) / SubBuckets;
        int sub = (index - Linear) % SubBuckets;
        int shift = octave + 6 - SubBits;
        return ((long)(SubBuckets + sub + 1) << shift) - 1;
    }
}
