namespace InverseProxy.Proxy;

/// <summary>How a relay ended. The caller reads it to decide what it learns about the key, the connection whether to go on.</summary>
internal enum RelayStatus
{
    /// <summary>The whole response reached the client (as far as the socket could tell).</summary>
    Completed,

    /// <summary>The client went away while the response was written.</summary>
    ClientGone,

    /// <summary>The target broke (bad framing, early close, timeout): answered with 502/504 if nothing was sent yet, else the connection closes.</summary>
    TargetFailed,
}

/// <summary>What <see cref="ResponseRelay"/> did with a response, and whether the body it carried was stored.</summary>
internal readonly record struct RelayResult(RelayStatus Status, bool Stored);
