namespace InverseProxy.Proxy;

/// <summary>Bytes a tunnel carried each way and how it ended.</summary>
internal struct TunnelTotals
{
    /// <summary>Bytes from the client to the target.</summary>
    public long Up;

    /// <summary>Bytes from the target to the client.</summary>
    public long Down;

    public TunnelEnd End;
}

/// <summary>Why a tunnel ended.</summary>
internal enum TunnelEnd
{
    /// <summary>Both sides closed their sending side.</summary>
    Closed,

    /// <summary>No byte moved either way for tunnel_idle_timeout.</summary>
    Idle,

    /// <summary>A side reset, or a write timed out.</summary>
    Broken,
}
