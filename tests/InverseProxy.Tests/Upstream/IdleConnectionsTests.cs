using System.Net;
using System.Net.Sockets;
using InverseProxy.Tests.TestSupport;
using InverseProxy.Upstream;

namespace InverseProxy.Tests.Upstream;

public sealed class IdleConnectionsTests : IDisposable
{
    private readonly UpstreamTarget _target = new(new DnsEndPoint("127.0.0.1", 9), new ManualTimeProvider());
    private readonly List<UpstreamConnection> _made = new();

    [Fact]
    public void TryPop_OwnStripe_LastInFirstOut()
    {
        var idle = new IdleConnections(stripes: 4);
        var older = Idle();
        var newer = Idle();
        Assert.True(idle.TryPush(older, stripe: 1, max: 10));
        Assert.True(idle.TryPush(newer, stripe: 1, max: 10));

        Assert.Same(newer, idle.TryPop(stripe: 1));
        Assert.Same(older, idle.TryPop(stripe: 1));
        Assert.Null(idle.TryPop(stripe: 1));
    }

    [Fact]
    public void TryPop_OwnStripeEmpty_TakesFromAnother()
    {
        var idle = new IdleConnections(stripes: 4);
        var elsewhere = Idle();
        idle.TryPush(elsewhere, stripe: 3, max: 10);

        Assert.Same(elsewhere, idle.TryPop(stripe: 0));
        Assert.Equal(0, idle.Count);
    }

    [Fact]
    public void TryPush_MaxAcrossAllStripes_RefusesTheExtra()
    {
        var idle = new IdleConnections(stripes: 4);

        Assert.True(idle.TryPush(Idle(), stripe: 0, max: 2));
        Assert.True(idle.TryPush(Idle(), stripe: 1, max: 2));
        Assert.False(idle.TryPush(Idle(), stripe: 2, max: 2));

        Assert.Equal(2, idle.Count);
    }

    [Fact]
    public void TakeAll_SeveralStripes_EmptiesEvery()
    {
        var idle = new IdleConnections(stripes: 4);
        var pushed = Enumerable.Range(0, 6).Select(i =>
        {
            var c = Idle();
            idle.TryPush(c, stripe: i, max: 10);
            return c;
        }).ToHashSet();

        Assert.Equal(pushed, idle.TakeAll().ToHashSet());
        Assert.Equal(0, idle.Count);
        Assert.Null(idle.TryPop(stripe: 0));
    }

    [Fact]
    public void PushAndPop_ManyThreads_EveryConnectionComesBackOnce()
    {
        var idle = new IdleConnections(stripes: 4);
        var all = Enumerable.Range(0, 64).Select(_ => Idle()).ToList();
        all.ForEach(c => idle.TryPush(c, stripe: 0, max: 1000));
        var taken = new System.Collections.Concurrent.ConcurrentBag<UpstreamConnection>();

        Parallel.For(0, 8, stripe =>
        {
            for (int i = 0; i < 2000; i++)
            {
                if (idle.TryPop(stripe) is { } c)
                {
                    idle.TryPush(c, stripe, max: 1000);
                }
            }
        });
        while (idle.TryPop(0) is { } c)
        {
            taken.Add(c);
        }

        Assert.Equal(all.ToHashSet(), taken.ToHashSet());
        Assert.Equal(64, taken.Count);
    }

    public void Dispose() => _made.ForEach(c => c.Dispose());

    private UpstreamConnection Idle()
    {
        var connection = new UpstreamConnection(_target, new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), 1024, new UpstreamIo());
        connection.Unbind();
        _made.Add(connection);
        return connection;
    }
}
