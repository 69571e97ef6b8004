namespace InverseProxy.Proxy;

/// <summary>What the tunnel stage did with a request.</summary>
internal enum TunnelResult
{
    /// <summary>Not a tunnel request: the next stages serve it.</summary>
    NotATunnel,

    /// <summary>Answered without a tunnel (refused, failed, or the target declined the upgrade).</summary>
    Answered,

    /// <summary>A tunnel ran and has ended; the connection closes.</summary>
    Tunnelled,
}
