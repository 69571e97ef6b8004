using System.Security.Authentication;

namespace InverseProxy.Tls;

/// <summary>Handshakes on the TLS port, for /proxy-stats and /metrics. Updated by connection threads with Interlocked.</summary>
internal sealed class TlsCounters
{
    private long _tls12;
    private long _tls13;
    private long _timedOut;
    private long _refused;

    public long Tls12 => Interlocked.Read(ref _tls12);

    public long Tls13 => Interlocked.Read(ref _tls13);

    /// <summary>Handshakes not done within tls_handshake_timeout.</summary>
    public long TimedOutCount => Interlocked.Read(ref _timedOut);

    /// <summary>Handshakes that failed: no shared version or cipher, not TLS at all, or the client left.</summary>
    public long RefusedCount => Interlocked.Read(ref _refused);

    public void Completed(SslProtocols protocol)
    {
        if (protocol == SslProtocols.Tls13)
        {
            Interlocked.Increment(ref _tls13);
        }
        else
        {
            Interlocked.Increment(ref _tls12);
        }
    }

    public void TimedOut() => Interlocked.Increment(ref _timedOut);

    public void Refused() => Interlocked.Increment(ref _refused);
}
