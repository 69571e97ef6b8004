using System.Collections.Concurrent;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Metrics;
using InverseProxy.Proxy;
using InverseProxy.Routing;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Networking;

/// <summary>What every client connection shares: settings, the handler, the registry of live connections, counters.</summary>
internal sealed class ConnectionServices
{
    private readonly ConcurrentDictionary<long, ClientConnection> _live = new();
    private readonly RequestLogger _requestLog;
    private readonly ManualResetEventSlim _allClosed = new(false);
    private volatile bool _stopping;
    private long _lastConnectionId; // shared by the listeners, so ids are unique across the plain and TLS ports

    private readonly LiveConfig _config;

    public ConnectionServices(LiveConfig config, RequestPipeline handler, ProxyMetrics metrics, RequestLogger requestLog, ILogger logger, TimeProvider time, IThreadStarter? threads = null)
    {
        Threads = threads ?? SystemThreadStarter.Instance;
        _config = config;
        Handler = handler;
        Metrics = metrics;
        _requestLog = requestLog;
        Logger = logger;
        Time = time;
        Date = new ResponseDate(time);
    }

    /// <summary>The settings in force; a connection reads them when it needs them, so a reload applies to what comes after.</summary>
    public ProxyOptions Options => _config.Current.Options;

    /// <summary>Read per connection, so a reload applies to connections opened after it.</summary>
    public HttpLimits Limits => new(Options.MaxRequestLineBytes, Options.MaxHeaderBytes, Options.MaxHeaderCount);

    public RequestPipeline Handler { get; }

    public ProxyMetrics Metrics { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    /// <summary>Starts connection threads.</summary>
    public IThreadStarter Threads { get; }

    /// <summary>Stamps Date on client responses that lack one; shared by every connection.</summary>
    public ResponseDate Date { get; }

    public bool Stopping => _stopping;

    /// <summary>Connections open now: the metrics' Interlocked gauge, not _live.Count, which takes every lock of the
    /// dictionary and is read on each accept.</summary>
    public int LiveCount => (int)Metrics.ActiveConnections;

    /// <summary>The id of the next connection accepted, on any port.</summary>
    public long NextConnectionId() => Interlocked.Increment(ref _lastConnectionId);

    public void Opened(ClientConnection connection)
    {
        _live[connection.Id] = connection;
        Metrics.ConnectionOpened();
    }

    public void Closed(ClientConnection connection)
    {
        _live.TryRemove(connection.Id, out _);
        Metrics.ConnectionClosed();
        if (_stopping && _live.IsEmpty)
        {
            _allClosed.Set();
        }
    }

    /// <summary>One request done: counters and the access log line.</summary>
    public void Completed(ClientSession session, RequestHead? request, RequestOutcome outcome, long startedTimestamp, long bytesIn)
    {
        Metrics.RecordRequest(request?.Method ?? "-", outcome.Status, bytesIn, outcome.BodyBytes);
        _requestLog.Write(session, request, outcome, Time.GetElapsedTime(startedTimestamp), bytesIn);
    }

    /// <summary>Stops taking requests: idle connections close now, busy ones after their current response.</summary>
    public void BeginDrain()
    {
        _stopping = true;
        foreach (var connection in _live.Values)
        {
            connection.Drain();
        }
    }

    /// <summary>Waits until every connection has closed, or the timeout passes; true if all closed.</summary>
    public bool WaitForDrain(TimeSpan timeout) => _live.IsEmpty || _allClosed.Wait(timeout) || _live.IsEmpty;

    /// <summary>Closes every connection still open (after the drain timeout).</summary>
    public void AbortAll()
    {
        foreach (var connection in _live.Values)
        {
            connection.Abort();
        }
    }
}
