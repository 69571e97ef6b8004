namespace InverseProxy.Caching;

/// <summary>
/// One caller's place in a collapsed fetch. The leader fetches and must call <see cref="Complete"/> (or dispose the
/// ticket) in a finally block; a follower calls <see cref="Wait"/> and then looks the cache up again.
/// </summary>
internal sealed class CoalesceTicket : IDisposable
{
    private readonly RequestCoalescer _owner;
    private readonly RequestCoalescer.Flight _flight;

    internal CoalesceTicket(RequestCoalescer owner, RequestCoalescer.Flight flight, bool isLeader)
    {
        _owner = owner;
        _flight = flight;
        IsLeader = isLeader;
    }

    public bool IsLeader { get; }

    /// <summary>Wakes the followers and frees the key for the next fetch. Idempotent; a no-op for followers.</summary>
    public void Complete()
    {
        if (IsLeader)
        {
            _owner.Finish(_flight);
        }
    }

    /// <summary>Blocks until the leader completes; false when <paramref name="timeout"/> ran out first.</summary>
    public bool Wait(TimeSpan timeout) => IsLeader || _flight.Done.Wait(timeout);

    public void Dispose() => Complete();
}
