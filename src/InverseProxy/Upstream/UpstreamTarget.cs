using System.Net;

namespace InverseProxy.Upstream;

/// <summary>
/// One configured target and its passive health: after a refused or timed-out connect it is held down
/// for a short time and skipped by the selector. Counters are read by the stats endpoint.
/// </summary>
internal sealed class UpstreamTarget
{
    private readonly TimeProvider _time;

    // Ticks (TimeProvider timestamp, UTC) until which the target is skipped; 0 = healthy. Written with Volatile.
    private long _downUntilUtcTicks;
    private long _requests;
    private long _failures;
    private volatile bool _retired;
    private long _holdDowns;
    private volatile bool _speaksHttp10; // from its latest response head; any thread

    public UpstreamTarget(DnsEndPoint endPoint, TimeProvider time)
        : this(endPoint, IPAddress.TryParse(endPoint.Host, out var address) ? new IPEndPoint(address, endPoint.Port) : null, time)
    {
    }

    /// <summary>A target whose name was resolved already: connections go to <paramref name="resolved"/>, the address checked.</summary>
    public UpstreamTarget(DnsEndPoint endPoint, IPEndPoint? resolved, TimeProvider time)
    {
        EndPoint = endPoint;
        Literal = resolved;
        Name = endPoint.Host.Contains(':') ? $"[{endPoint.Host}]:{endPoint.Port}" : $"{endPoint.Host}:{endPoint.Port}";
        _time = time;
    }

    public DnsEndPoint EndPoint { get; }

    /// <summary>The address when the host is an IP literal (parsed once) or was resolved ahead; else null and resolved per connect.</summary>
    public IPEndPoint? Literal { get; }

    /// <summary>host:port as configured; used in logs and the Host header when asked to.</summary>
    public string Name { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times the target went from healthy to held down.</summary>
    public long HoldDowns => Interlocked.Read(ref _holdDowns);

    public bool IsHeldDown => Volatile.Read(ref _downUntilUtcTicks) > _time.GetUtcNow().UtcTicks;

    public DateTimeOffset? HeldDownUntil
    {
        get
        {
            long ticks = Volatile.Read(ref _downUntilUtcTicks);
            return ticks > _time.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    /// <summary>Set once the target left the configuration: a connection coming back from it is closed, not pooled.</summary>
    public bool Retired
    {
        get => _retired;
        set => _retired = value;
    }

    /// <summary>
    /// True when the target's latest response said HTTP/1.0: it cannot read a chunked request body (RFC 9112 §7.1
    /// is HTTP/1.1), so one must reach it with a Content-Length.
    /// </summary>
    public bool SpeaksHttp10 => _speaksHttp10;

    /// <summary>Notes the version of a response head from this target.</summary>
    public void RecordVersion(Http.HttpVersion version)
    {
        bool http10 = version == Http.HttpVersion.Http10;
        if (_speaksHttp10 != http10)
        {
            _speaksHttp10 = http10;
        }
    }

    public void RecordRequest() => Interlocked.Increment(ref _requests);

    /// <summary>Marks the target down for <paramref name="holdDown"/>; true if it was healthy before.</summary>
    public bool MarkDown(TimeSpan holdDown)
    {
        Interlocked.Increment(ref _failures);
        long until = _time.GetUtcNow().Add(holdDown).UtcTicks;
        long previous = Interlocked.Exchange(ref _downUntilUtcTicks, until);
        bool wasHealthy = previous <= _time.GetUtcNow().UtcTicks;
        if (wasHealthy)
        {
            Interlocked.Increment(ref _holdDowns);
        }
        return wasHealthy;
    }

    /// <summary>Clears a hold-down after a successful exchange; true if the target had been down.</summary>
    public bool MarkUp() => Interlocked.Exchange(ref _downUntilUtcTicks, 0) != 0;
}
