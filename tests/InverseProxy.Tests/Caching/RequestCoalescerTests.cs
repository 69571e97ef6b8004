using InverseProxy.Caching;

namespace InverseProxy.Tests.Caching;

public sealed class RequestCoalescerTests
{
    private static readonly TimeSpan s_longWait = TimeSpan.FromSeconds(30);

    [Fact]
    public void Join_HundredThreadsOneKey_OneLeaderAndEveryFollowerWoken()
    {
        var coalescer = new RequestCoalescer();
        const int threads = 100;
        using var joined = new CountdownEvent(threads);
        int leaders = 0;
        int woken = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var ticket = coalescer.Join("k");
            joined.Signal();
            if (ticket.IsLeader)
            {
                Interlocked.Increment(ref leaders);
                joined.Wait();
                ticket.Complete();
            }
            else if (ticket.Wait(s_longWait))
            {
                Interlocked.Increment(ref woken);
            }
        })).ToList();

        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.Equal(1, leaders);
        Assert.Equal(threads - 1, woken);
        Assert.Equal(0, coalescer.InFlight);
    }

    [Fact]
    public void Complete_LeaderThrows_FollowersWokenAndKeyFreed()
    {
        var coalescer = new RequestCoalescer();
        var leader = coalescer.Join("k");
        var follower = coalescer.Join("k");
        bool followerWoken = false;
        var waiter = new Thread(() => followerWoken = follower.Wait(s_longWait));
        waiter.Start();

        Assert.Throws<InvalidOperationException>(() => FetchAndFail(leader));
        waiter.Join();

        Assert.True(followerWoken);
        Assert.Equal(0, coalescer.InFlight);
        Assert.True(coalescer.Join("k").IsLeader);
    }

    private static void FetchAndFail(CoalesceTicket leader)
    {
        using (leader)
        {
            throw new InvalidOperationException("upstream failed");
        }
    }

    [Fact]
    public void Wait_LeaderNeverCompletes_TimesOutFalse()
    {
        var coalescer = new RequestCoalescer();
        _ = coalescer.Join("k");

        Assert.False(coalescer.Join("k").Wait(TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Join_DifferentKeys_EachLeads()
    {
        var coalescer = new RequestCoalescer();

        Assert.True(coalescer.Join("a").IsLeader);
        Assert.True(coalescer.Join("b").IsLeader);
        Assert.Equal(2, coalescer.InFlight);
    }

    [Fact]
    public void Complete_CalledTwiceAfterNewLeader_DoesNotRemoveTheNewFlight()
    {
        var coalescer = new RequestCoalescer();
        var first = coalescer.Join("k");
        first.Complete();
        var second = coalescer.Join("k");

        first.Complete();

        Assert.True(second.IsLeader);
        Assert.False(coalescer.Join("k").IsLeader);
        Assert.Equal(1, coalescer.InFlight);
    }
}
