using System.Numerics;

namespace InverseProxy.Metrics;

/// <summary>
/// A fixed set of counters that every connection thread bumps on every request, kept once per processor stripe so
/// that two cores counting the same request figure do not pass its cache line back and forth (each move costs more
/// than the increment). A write touches its own processor's stripe; a read sums the stripes, so it may miss an
/// increment in flight, never lose one. Safe for any thread.
/// </summary>
internal sealed class StripedCounters
{
    private const int LineLongs = 8; // one 64-byte cache line
    private const int MaxStripes = 64;

    private readonly long[] _cells; // stripe s, counter c at LineLongs + s * _stride + c; a line of padding each end
    private readonly int _stride;
    private readonly int _mask;

    public StripedCounters(int count)
        : this(count, Environment.ProcessorCount)
    {
    }

    /// <param name="count">How many counters, numbered from 0.</param>
    /// <param name="processors">How many stripes to spread over (rounded up to a power of two, at most 64).</param>
    public StripedCounters(int count, int processors)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
        _stride = (count + LineLongs - 1) / LineLongs * LineLongs;
        int stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(processors, 1, MaxStripes));
        _mask = stripes - 1;
        _cells = new long[(stripes * _stride) + (2 * LineLongs)];
    }

    public int Count { get; }

    public void Increment(int counter) => Interlocked.Increment(ref _cells[Cell(counter)]);

    public void Add(int counter, long delta) => Interlocked.Add(ref _cells[Cell(counter)], delta);

    /// <summary>The sum of <paramref name="counter"/> over every stripe.</summary>
    public long Read(int counter)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)counter, (uint)Count, nameof(counter));
        long sum = 0;
        for (int i = LineLongs + counter; i < _cells.Length - LineLongs; i += _stride)
        {
            sum += Volatile.Read(ref _cells[i]);
        }
        return sum;
    }

    private int Cell(int counter)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)counter, (uint)Count, nameof(counter));
        // The runtime caches the processor id and refreshes it now and then: a thread that moved keeps counting on
        // its old stripe for a while, which costs a shared line, not a lost count.
        return LineLongs + ((Thread.GetCurrentProcessorId() & _mask) * _stride) + counter;
    }
}
