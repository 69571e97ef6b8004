namespace InverseProxy.Proxy;

/// <summary>Figures of tunnels and the forward proxy, for /proxy-stats and /metrics. Updated with Interlocked.</summary>
internal sealed class TunnelCounters
{
    private long _open;
    private long _opened;
    private long _bytesUp;
    private long _bytesDown;
    private long _refusedDestinations;
    private long _authenticationRequired;

    /// <summary>Tunnels running now.</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Tunnels opened since start.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Bytes carried from clients to targets.</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    /// <summary>Bytes carried from targets to clients.</summary>
    public long BytesDown => Interlocked.Read(ref _bytesDown);

    /// <summary>CONNECT and forward-proxied requests refused by forward_allow or connect_ports (403).</summary>
    public long RefusedDestinations => Interlocked.Read(ref _refusedDestinations);

    public void DestinationRefused() => Interlocked.Increment(ref _refusedDestinations);

    /// <summary>Requests answered 407 for missing or wrong proxy credentials.</summary>
    public long AuthenticationChallenges => Interlocked.Read(ref _authenticationRequired);

    public void Challenged() => Interlocked.Increment(ref _authenticationRequired);

    public void TunnelOpened()
    {
        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref _opened);
    }

    public void TunnelClosed(in TunnelTotals totals)
    {
        Interlocked.Decrement(ref _open);
        Interlocked.Add(ref _bytesUp, totals.Up);
        Interlocked.Add(ref _bytesDown, totals.Down);
    }
}
