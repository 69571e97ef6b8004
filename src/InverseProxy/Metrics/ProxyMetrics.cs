namespace InverseProxy.Metrics;

/// <summary>Process-wide request counters, updated with Interlocked on the hot path and read by the stats endpoint.</summary>
internal sealed class ProxyMetrics
{
    private readonly long[] _statusClasses = new long[6]; // index = status / 100; 0 = closed without answer
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox> _methods = new(StringComparer.Ordinal);
    private long _requests;
    private long _bytesIn;
    private long _bytesOut;
    private long _activeConnections;
    private long _acceptedConnections;
    private long _rejectedConnections;
    private long _connectionThreadAllocated;
    private long _threadStartFailures;
    private long _sendTimeouts;
    private long _slowRequestBodies;

    public long Requests => Interlocked.Read(ref _requests);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

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
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bytesIn, bytesIn);
        Interlocked.Add(ref _bytesOut, bytesOut);
        int cls = status is >= 100 and < 600 ? status / 100 : 0;
        Interlocked.Increment(ref _statusClasses[cls]);
        // Only known methods get their own counter, so a client cannot grow this map without bound.
        string name = method is "GET" or "HEAD" or "POST" or "PUT" or "PATCH" or "DELETE" or "OPTIONS" or "PURGE" or "CONNECT" ? method : "OTHER";
        Interlocked.Increment(ref _methods.GetOrAdd(name, static _ => new StrongBox()).Value);
    }

    /// <summary>Responses by status class: "1xx" … "5xx", and "none" for connections closed without an answer.</summary>
    public IReadOnlyDictionary<string, long> StatusClasses()
    {
        var result = new Dictionary<string, long> { ["none"] = Interlocked.Read(ref _statusClasses[0]) };
        for (int i = 1; i < 6; i++)
        {
            result[$"{i}xx"] = Interlocked.Read(ref _statusClasses[i]);
        }
        return result;
    }

    public IReadOnlyDictionary<string, long> Methods() =>
        _methods.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    private sealed class StrongBox
    {
        public long Value;
    }
}
