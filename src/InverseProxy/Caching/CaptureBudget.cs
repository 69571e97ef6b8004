namespace InverseProxy.Caching;

/// <summary>
/// The bytes that responses being copied for the cache may hold at once, over every connection
/// (<c>max_capture_memory</c>). A copy grows by taking from it; a copy that cannot take what it needs is abandoned
/// (its response is relayed whole, just not stored), so clients that never read their large responses cannot pile
/// copies up in the heap. What a copy took is given back when the cache takes the body or the copy ends.
/// When nothing is held, any one copy may take more than the limit, so a max_entry_size above it still stores.
/// </summary>
internal sealed class CaptureBudget
{
    private long _limit;
    private long _held;
    private long _refused;

    public CaptureBudget(long limit)
    {
        _limit = limit;
    }

    public long Limit => Volatile.Read(ref _limit);

    /// <summary>Bytes held by copies now.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Copies abandoned because the budget was spent.</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>Applies a reloaded limit; copies already holding more keep it until they end.</summary>
    public void Resize(long limit) => Volatile.Write(ref _limit, limit);

    /// <summary>Takes <paramref name="bytes"/> if they fit (or nothing else is held); false, and counted, if not.</summary>
    public bool TryTake(long bytes)
    {
        long held = Volatile.Read(ref _held);
        while (true)
        {
            if (held > 0 && held + bytes > Volatile.Read(ref _limit))
            {
                Interlocked.Increment(ref _refused);
                return false;
            }
            long seen = Interlocked.CompareExchange(ref _held, held + bytes, held);
            if (seen == held)
            {
                return true;
            }
            held = seen;
        }
    }

    public void Give(long bytes) => Interlocked.Add(ref _held, -bytes);
}
