namespace InverseProxy.Metrics;

/// <summary>
/// Process-wide counters read by the stats endpoint. Those every request bumps (requests, bytes, status class,
/// method) are striped per processor (see <see cref="StripedCounters"/>); the connection counters use Interlocked.
/// </summary>
internal sealed class ProxyMetrics
{
    private const int RequestsCounter = 0;
    private const int BytesInCounter = 1;
    private const int BytesOutCounter = 2;
    private const int StatusClassCounters = 3; // + status / 100; + 0 = closed without answer
    private const int MethodCounters = StatusClassCounters + 6;

    // Only these methods get their own counter, so a client cannot grow the set; any other counts as OTHER (the last).
    private static readonly string[] s_methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE", "CONNECT", "OTHER"];

    private readonly StripedCounters _perRequest = new(MethodCounters + s_methods.Length);
    private long _activeConnections;
    private long _acceptedConnections;
    private long _rejectedConnections;
    private long _connectionThreadAllocated;
    private long _threadStartFailures;
    private long _sendTimeouts;
    private long _slowRequestBodies;

    public long Requests => _perRequest.Read(RequestsCounter);

    public long BytesIn => _perRequest.Read(BytesInCounter);

    public long BytesOut => _perRequest.Read(BytesOutCounter);

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    public long AcceptedConnections => Interlocked.Read(ref _acceptedConnections);

    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _activeConnections);
        Interlocked.Increment(ref _acceptedConnections);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    public void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    /// <summary>Connections (client or admin) refused because no thread could be started for them.</summary>
    public long ThreadStartFailures => Interlocked.Read(ref _threadStartFailures);

    public void ThreadStartFailed() => Interlocked.Increment(ref _threadStartFailures);

    /// <summary>Client connections closed because a response was not taken within send_timeout.</summary>
    public long SendTimeouts => Interlocked.Read(ref _sendTimeouts);

    public void SendTimedOut() => Interlocked.Increment(ref _sendTimeouts);

    /// <summary>Requests answered 408 because their body came slower than min_body_rate.</summary>
    public long SlowRequestBodies => Interlocked.Read(ref _slowRequestBodies);

    public void SlowRequestBody() => Interlocked.Increment(ref _slowRequestBodies);

    /// <summary>
    /// Bytes the connection threads allocated while serving their connections (the accept loop's share excluded).
    /// Cache hits and new connections should add nothing: every thread that allocates takes an allocation quantum
    /// of its own, and a burst of them sets off collections that stop every thread.
    /// </summary>
    public long ConnectionThreadAllocatedBytes => Interlocked.Read(ref _connectionThreadAllocated);

    public void ConnectionThreadAllocated(long bytes)
    {
        if (bytes != 0)
        {
            Interlocked.Add(ref _connectionThreadAllocated, bytes);
        }
    }

    public void RecordRequest(string method, int status, long bytesIn, long bytesOut)
    {
        _perRequest.Increment(RequestsCounter);
        _perRequest.Add(BytesInCounter, bytesIn);
        _perRequest.Add(BytesOutCounter, bytesOut);
        _perRequest.Increment(StatusClassCounters + (status is >= 100 and < 600 ? status / 100 : 0));
        _perRequest.Increment(MethodCounters + MethodIndex(method));
    }

    /// <summary>Responses by status class: "1xx" … "5xx", and "none" for connections closed without an answer.</summary>
    public IReadOnlyDictionary<string, long> StatusClasses()
    {
        var result = new Dictionary<string, long> { ["none"] = _perRequest.Read(StatusClassCounters) };
        for (int i = 1; i < 6; i++)
        {
            result[$"{i}xx"] = _perRequest.Read(StatusClassCounters + i);
        }
        return result;
    }

    /// <summary>Requests by method, for the methods seen so far.</summary>
    public IReadOnlyDictionary<string, long> Methods()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < s_methods.Length; i++)
        {
            if (_perRequest.Read(MethodCounters + i) is > 0 and var count)
            {
                result[s_methods[i]] = count;
            }
        }
        return result;
    }

    private static int MethodIndex(string method)
    {
        for (int i = 0; i < s_methods.Length - 1; i++)
        {
            if (string.Equals(method, s_methods[i], StringComparison.Ordinal))
            {
                return i;
            }
        }
        return s_methods.Length - 1;
    }
}
