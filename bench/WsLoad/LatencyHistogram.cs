namespace WsLoad;

// Round-trip times in 10 µs buckets up to 10 s (longer ones land in the last bucket); safe to record from any thread.
internal sealed class LatencyHistogram
{
    private const long BucketTicks = TimeSpan.TicksPerMillisecond / 100;
    private readonly long[] _buckets = new long[1_000_001];
    private long _count;
    private long _maxTicks;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMs => Interlocked.Read(ref _maxTicks) / (double)TimeSpan.TicksPerMillisecond;

    public void Record(TimeSpan elapsed)
    {
        long ticks = elapsed.Ticks;
        Interlocked.Increment(ref _buckets[Math.Min(ticks / BucketTicks, _buckets.Length - 1)]);
        Interlocked.Increment(ref _count);
        long max;
        while (ticks > (max = Interlocked.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, ticks, max) != max)
        {
        }
    }

    // The upper edge of the bucket holding the given quantile, in milliseconds; 0 when nothing was recorded.
    public double PercentileMs(double quantile)
    {
        long total = Count;
        if (total == 0)
        {
            return 0;
        }
        long rank = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketTicks / (double)TimeSpan.TicksPerMillisecond;
            }
        }
        return MaxMs;
    }
}
