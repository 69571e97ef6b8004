using InverseProxy.Networking;
using Microsoft.Extensions.Time.Testing;

namespace InverseProxy.Tests.Networking;

public sealed class SpareThreadPolicyTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void SparesWanted_NoTrafficYet_SpareThreads()
    {
        var policy = new SpareThreadPolicy(64, 10_000, _time);

        Assert.Equal(64, policy.SparesWanted(0));
    }

    [Fact]
    public void SparesWanted_RisingDemand_StaysAMultipleOfThePeakAhead()
    {
        var policy = new SpareThreadPolicy(64, 10_000, _time);

        policy.Observe(500);
        Assert.Equal(500, policy.SparesWanted(500));   // 2 x 500 threads in all
        policy.Observe(3_000);
        Assert.Equal(3_000, policy.SparesWanted(3_000));
    }

    [Fact]
    public void SparesWanted_AfterABurst_KeptThenDecayingToSpareThreads()
    {
        var policy = new SpareThreadPolicy(64, 10_000, _time);
        policy.Observe(4_000);

        Assert.Equal(8_000, policy.SparesWanted(0));    // the burst's threads stay parked for the next one
        _time.Advance(SpareThreadPolicy.PeakHalfLife);
        Assert.Equal(4_000, policy.SparesWanted(0));
        _time.Advance(SpareThreadPolicy.PeakHalfLife * 20);
        Assert.Equal(64, policy.SparesWanted(0));
    }

    [Fact]
    public void Observe_LowerDemandAfterAPeak_DoesNotResetTheDecay()
    {
        var policy = new SpareThreadPolicy(0, 10_000, _time);
        policy.Observe(1_000);
        _time.Advance(SpareThreadPolicy.PeakHalfLife);

        policy.Observe(10);

        Assert.Equal(500, policy.RecentPeak, 6);
        _time.Advance(SpareThreadPolicy.PeakHalfLife);
        Assert.Equal(250, policy.RecentPeak, 6);
    }

    [Theory]
    [InlineData(1_000, 500)]   // 2 x 1000 capped at 1500 threads: 500 idle beside the 1000 served
    [InlineData(1_500, 0)]
    public void SparesWanted_NearMaxConnections_CappedThere(int demand, int expected)
    {
        var policy = new SpareThreadPolicy(64, 1_500, _time);
        policy.Observe(demand);

        Assert.Equal(expected, policy.SparesWanted(demand));
    }
}
