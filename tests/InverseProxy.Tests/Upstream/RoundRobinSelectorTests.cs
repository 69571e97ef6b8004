using System.Net;
using InverseProxy.Tests.TestSupport;
using InverseProxy.Upstream;

namespace InverseProxy.Tests.Upstream;

public sealed class RoundRobinSelectorTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Next_ThreeHealthyTargets_ReturnsThemInTurn()
    {
        var targets = Targets(3);
        var selector = new RoundRobinSelector(targets);

        var picked = Enumerable.Range(0, 6).Select(_ => selector.Next()).ToArray();

        Assert.Equal(new[] { targets[0], targets[1], targets[2], targets[0], targets[1], targets[2] }, picked);
    }

    [Fact]
    public void Next_ManyCalls_SpreadsEvenly()
    {
        var targets = Targets(4);
        var selector = new RoundRobinSelector(targets);

        var counts = Count(Enumerable.Range(0, 400).Select(_ => selector.Next()));

        Assert.All(targets, t => Assert.Equal(100, counts[t]));
    }

    [Fact]
    public void Next_OneTargetHeldDown_SkipsItAndSpreadsOverTheRest()
    {
        var targets = Targets(3);
        targets[1].MarkDown(TimeSpan.FromSeconds(5));
        var selector = new RoundRobinSelector(targets);

        var counts = Count(Enumerable.Range(0, 100).Select(_ => selector.Next()));

        Assert.False(counts.ContainsKey(targets[1]));
        Assert.Equal(50, counts[targets[0]]);
        Assert.Equal(50, counts[targets[2]]);
    }

    [Fact]
    public void Next_HoldDownExpired_TargetChosenAgain()
    {
        var targets = Targets(2);
        targets[0].MarkDown(TimeSpan.FromSeconds(5));
        var selector = new RoundRobinSelector(targets);
        Assert.Same(targets[1], selector.Next());

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Contains(targets[0], new[] { selector.Next(), selector.Next() });
    }

    [Fact]
    public void Next_AllHeldDown_StillReturnsEachInTurn()
    {
        var targets = Targets(3);
        foreach (var t in targets)
        {
            t.MarkDown(TimeSpan.FromSeconds(5));
        }
        var selector = new RoundRobinSelector(targets);

        var picked = Enumerable.Range(0, 6).Select(_ => selector.Next()).ToArray();

        Assert.Equal(new[] { targets[0], targets[1], targets[2], targets[0], targets[1], targets[2] }, picked);
    }

    [Fact]
    public void Next_Exclude_NeverReturnsTheExcludedTarget()
    {
        var targets = Targets(3);
        var selector = new RoundRobinSelector(targets);

        var picked = Enumerable.Range(0, 30).Select(_ => selector.Next(exclude: targets[0])).ToList();

        Assert.DoesNotContain(targets[0], picked);
        Assert.Equal(15, picked.Count(t => t == targets[1]));
        Assert.Equal(15, picked.Count(t => t == targets[2]));
    }

    [Fact]
    public void Next_ExcludeTheOnlyTarget_ReturnsIt()
    {
        var targets = Targets(1);
        var selector = new RoundRobinSelector(targets);

        Assert.Same(targets[0], selector.Next(exclude: targets[0]));
    }

    [Fact]
    public void Replace_NewList_NextUsesOnlyTheNewTargets()
    {
        var old = Targets(2);
        var selector = new RoundRobinSelector(old);
        selector.Next();
        var fresh = Targets(2, firstPort: 9000);

        selector.Replace(fresh);

        var picked = Enumerable.Range(0, 10).Select(_ => selector.Next()).ToList();
        Assert.All(picked, t => Assert.Contains(t, fresh));
        Assert.Equal(5, picked.Count(t => t == fresh[0]));
        Assert.Equal(fresh, selector.Targets);
    }

    [Fact]
    public void Replace_EmptyList_ThrowsAndKeepsTheOldTargets()
    {
        var targets = Targets(1);
        var selector = new RoundRobinSelector(targets);

        Assert.Throws<ArgumentException>(() => selector.Replace(Array.Empty<UpstreamTarget>()));

        Assert.Same(targets[0], selector.Next());
    }

    [Fact]
    public void Constructor_NoTargets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RoundRobinSelector(Array.Empty<UpstreamTarget>()));
    }

    [Fact]
    public void Next_ManyThreads_CountsSumAndBalance()
    {
        const int threads = 8;
        const int perThread = 10_000;
        var targets = Targets(4);
        var selector = new RoundRobinSelector(targets);
        var counts = new int[threads, targets.Length];
        using var start = new ManualResetEventSlim(false);
        var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            start.Wait();
            for (int i = 0; i < perThread; i++)
            {
                int index = selector.Next().EndPoint.Port - 8000;
                counts[w, index]++;
            }
        })).ToList();
        workers.ForEach(t => t.Start());

        start.Set();
        workers.ForEach(t => t.Join());

        var totals = Enumerable.Range(0, targets.Length).Select(t => Enumerable.Range(0, threads).Sum(w => counts[w, t])).ToArray();
        Assert.Equal(threads * perThread, totals.Sum());
        Assert.All(totals, n => Assert.Equal(threads * perThread / targets.Length, n));
    }

    private UpstreamTarget[] Targets(int count, int firstPort = 8000) =>
        Enumerable.Range(0, count).Select(i => new UpstreamTarget(new DnsEndPoint("127.0.0.1", firstPort + i), _time)).ToArray();

    private static Dictionary<UpstreamTarget, int> Count(IEnumerable<UpstreamTarget> picks) =>
        picks.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
}
