using InverseProxy.Metrics;

namespace InverseProxy.Tests.Metrics;

public sealed class StripedCountersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(200)]
    public void Read_AfterManyThreadsCounted_SumsEveryIncrementOfEachCounterAlone(int processors)
    {
        const int threads = 8;
        const int perThread = 20_000;
        var counters = new StripedCounters(9, processors);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                counters.Increment(0);
                counters.Add(8, 3);
                counters.Increment(1 + (t % 2));
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(threads * perThread, counters.Read(0));
        Assert.Equal(threads / 2 * perThread, counters.Read(1));
        Assert.Equal(threads / 2 * perThread, counters.Read(2));
        Assert.Equal(3L * threads * perThread, counters.Read(8));
        Assert.All(Enumerable.Range(3, 5), c => Assert.Equal(0, counters.Read(c)));
    }

    [Fact]
    public void Increment_CounterOutsideTheSet_Throws()
    {
        var counters = new StripedCounters(3, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => counters.Increment(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.Read(-1));
    }
}
