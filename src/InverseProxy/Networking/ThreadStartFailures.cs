using InverseProxy.Logging;
using InverseProxy.Metrics;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Networking;

/// <summary>
/// Counts connections refused because no thread could be started for them, and warns at most once a second: when
/// the process is at its thread limit every new connection fails alike, and a line per connection would flood the log.
/// </summary>
internal sealed class ThreadStartFailures
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(1);

    private readonly string _listener;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _lastWarning = long.MinValue; // timestamp of the last warning; Interlocked
    private long _sinceWarning;                // refusals not yet reported; Interlocked

    public ThreadStartFailures(string listener, ProxyMetrics metrics, ILogger logger, TimeProvider time)
    {
        _listener = listener;
        _metrics = metrics;
        _logger = logger;
        _time = time;
    }

    /// <summary>Whether <paramref name="e"/>, thrown by <see cref="Thread.Start()"/>, means the system has no thread to give.</summary>
    public static bool IsThreadShortage(Exception e) => e is OutOfMemoryException or ThreadStartException;

    /// <summary>One connection refused for want of a thread.</summary>
    public void Refused(Exception e)
    {
        _metrics.ThreadStartFailed();
        Interlocked.Increment(ref _sinceWarning);
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastWarning);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < WarningInterval)
        {
            return;
        }
        if (Interlocked.CompareExchange(ref _lastWarning, now, last) != last)
        {
            return; // another thread is warning for this second
        }
        Log.ThreadStartFailed(_logger, _listener, Interlocked.Exchange(ref _sinceWarning, 0), e.Message);
    }
}
