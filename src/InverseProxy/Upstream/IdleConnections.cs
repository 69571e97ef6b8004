namespace InverseProxy.Upstream;

/// <summary>
/// One target's idle connections, kept in stripes that each have their own lock. A thread returns to and rents from
/// its own stripe and looks through the others only when its own is empty. With thousands of connection threads on a
/// few cores, a thread holding a single pool lock is now and then preempted, and every thread wanting the pool queues
/// behind it: at 9,000 concurrent pass-through clients that stalled requests for seconds.
/// </summary>
internal sealed class IdleConnections
{
    private readonly Stack<UpstreamConnection>[] _stripes; // each stack is guarded by locking it
    private int _count; // connections in all stripes, or about to be; changed with Interlocked

    public IdleConnections(int stripes)
    {
        _stripes = new Stack<UpstreamConnection>[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new Stack<UpstreamConnection>();
        }
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps <paramref name="connection"/> unless <paramref name="max"/> are kept already.</summary>
    public bool TryPush(UpstreamConnection connection, int stripe, int max)
    {
        if (Interlocked.Increment(ref _count) > max)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }
        var stack = _stripes[stripe % _stripes.Length];
        lock (stack)
        {
            stack.Push(connection);
        }
        return true;
    }

    /// <summary>The connection that went idle last in <paramref name="stripe"/>, else in the next stripe that has one.</summary>
    public UpstreamConnection? TryPop(int stripe)
    {
        for (int i = 0; i < _stripes.Length && Count > 0; i++)
        {
            var stack = _stripes[(stripe + i) % _stripes.Length];
            // Read without the lock, only to skip empty stripes: at a burst every thread finds its own stripe empty,
            // and all of them locking every stripe in turn made the stripes as contended as one lock.
            if (stack.Count == 0)
            {
                continue;
            }
            lock (stack)
            {
                if (stack.TryPop(out var connection))
                {
                    Interlocked.Decrement(ref _count);
                    return connection;
                }
            }
        }
        return null;
    }

    /// <summary>Empties every stripe.</summary>
    public List<UpstreamConnection> TakeAll()
    {
        var all = new List<UpstreamConnection>();
        foreach (var stack in _stripes)
        {
            lock (stack)
            {
                all.AddRange(stack);
                Interlocked.Add(ref _count, -stack.Count);
                stack.Clear();
            }
        }
        return all;
    }
}
