using InverseProxy.LoadTest;

namespace InverseProxy.Tests.LoadTest;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_Empty_Zero()
    {
        Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(0.99));
    }

    [Fact]
    public void Percentile_OneToThousandMs_WithinThreePercent()
    {
        var histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(1000, histogram.Count);
        AssertNear(500, histogram.Percentile(0.50));
        AssertNear(900, histogram.Percentile(0.90));
        AssertNear(990, histogram.Percentile(0.99));
        AssertNear(1000, histogram.Percentile(1.0));
    }

    [Fact]
    public void Percentile_SmallValues_Exact()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMicroseconds(3));
        histogram.Record(TimeSpan.FromMicroseconds(40));

        Assert.Equal(TimeSpan.FromMicroseconds(3), histogram.Percentile(0.5));
        Assert.Equal(TimeSpan.FromMicroseconds(40), histogram.Percentile(0.99));
    }

    [Fact]
    public void Add_TwoWorkers_CountsAndPercentilesOfBoth()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (int i = 0; i < 90; i++)
        {
            fast.Record(TimeSpan.FromMilliseconds(1));
        }
        for (int i = 0; i < 10; i++)
        {
            slow.Record(TimeSpan.FromMilliseconds(100));
        }

        fast.Add(slow);

        Assert.Equal(100, fast.Count);
        AssertNear(1, fast.Percentile(0.90));
        AssertNear(100, fast.Percentile(0.91));
    }

    [Fact]
    public void Record_BeyondRange_LandsInLastBucket()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromDays(400));

        Assert.True(histogram.Percentile(1.0) > TimeSpan.FromHours(18));
    }

    private static void AssertNear(double expectedMs, TimeSpan actual)
    {
        double ms = actual.TotalMilliseconds;
        Assert.True(ms >= expectedMs && ms <= expectedMs * 1.03, $"expected about {expectedMs} ms, was {ms} ms");
    }
}
