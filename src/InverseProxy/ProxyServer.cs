using System.Net;
using InverseProxy.Admin;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Metrics;
using InverseProxy.Networking;
using InverseProxy.Proxy;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy;

/// <summary>
/// Owns the proxy's lifetime. Start: load the cache file, start the flusher, start the listener.
/// Stop, in reverse: stop accepting, drain in-flight requests (bounded), final cache write, close the pool.
/// </summary>
internal sealed class ProxyServer : IDisposable
{
    private readonly ProxyOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RequestLogger _requestLogger;
    private UpstreamPool? _pool;
    private RoundRobinSelector? _selector;
    private CacheFlusher? _flusher;
    private AdminServer? _admin;
    private ConnectionServices? _services;
    private ConnectionListener? _listener;
    private int _stopped;

    public ProxyServer(ProxyOptions options, ILoggerFactory loggerFactory, TimeProvider time, RequestLogger requestLogger)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("InverseProxy");
        _time = time;
        _requestLogger = requestLogger;
        Metrics = new ProxyMetrics();
    }

    public ProxyMetrics Metrics { get; }

    /// <summary>Starts connection and admin threads; tests replace it to make starts fail.</summary>
    public IThreadStarter ThreadStarter { get; init; } = SystemThreadStarter.Instance;

    /// <summary>The response cache; null when cache_size is 0.</summary>
    public ResponseCache? Cache { get; private set; }

    public FlushStatistics? FlushStatistics => _flusher?.Statistics;

    public UpstreamPool? Pool => _pool;

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Connection threads alive, serving or parked.</summary>
    public int ConnectionThreads => _listener?.Threads ?? 0;

    /// <summary>Connection threads that have made their connection buffers.</summary>
    public int ConnectionBuffersMade => _listener?.BuffersMade ?? 0;

    /// <summary>Where the admin listener listens, or null when admin_port is 0.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.LocalEndPoint;

    public IReadOnlyList<UpstreamTarget> Targets { get; private set; } = Array.Empty<UpstreamTarget>();

    /// <summary>Where the proxy listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => _listener?.LocalEndPoint ?? throw new InvalidOperationException("not started");

    /// <summary>Loads the cache file, starts the flusher, then starts accepting. Throws <see cref="StartupException"/>.</summary>
    public void Start()
    {
        StartedAt = _time.GetUtcNow();
        StartCache();
        Targets = _options.Targets.Select(t => new UpstreamTarget(t, _time)).ToArray();
        _pool = new UpstreamPool(_options, _time);
        _selector = new RoundRobinSelector(Targets);
        var forwarder = new Forwarder(_selector, _pool, _options, _logger);
        var handler = new RequestHandler(_options, forwarder, Cache, _logger, _time);
        _services = new ConnectionServices(_options, handler, Metrics, _requestLogger, _logger, _time, ThreadStarter);
        _listener = new ConnectionListener(new IPEndPoint(_options.BindAddress, _options.Port), _services);
        _listener.Start();
        if (_options.AdminPort != 0)
        {
            _admin = new AdminServer(new IPEndPoint(_options.AdminBindAddress, _options.AdminPort), this, _options, _time, _logger, ThreadStarter);
        }
        Log.Listening(_logger, _listener.LocalEndPoint);
    }

    /// <summary>
    /// Applies a reloaded configuration without dropping connections or the cache: limits, timeouts and cache rules
    /// at once, targets by swapping the list (a target kept keeps its pool and health). Returns keys needing a restart.
    /// </summary>
    public IReadOnlyList<string> Reload(ProxyOptions next)
    {
        var restart = LiveSettings.Apply(_options, next);
        var byName = Targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        Targets = _options.Targets
            .Select(t => new UpstreamTarget(t, _time))
            .Select(t => byName.TryGetValue(t.Name, out var existing) ? existing : t)
            .ToArray();
        _selector?.Replace(Targets);
        Cache?.Reconfigure(_options);
        return restart;
    }

    /// <summary>Graceful stop; safe to call more than once.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        Log.ShuttingDown(_logger, _options.ShutdownTimeout.TotalSeconds);
        _listener?.Stop();
        _admin?.Dispose();
        if (_services is not null)
        {
            _services.BeginDrain();
            if (!_services.WaitForDrain(_options.ShutdownTimeout))
            {
                _services.AbortAll();
            }
        }
        _listener?.Dispose();
        _pool?.Dispose();
        if (_flusher is not null)
        {
            _flusher.FlushNow();
            _flusher.Dispose();
        }
        Log.Stopped(_logger);
    }

    public void Dispose() => Stop();

    /// <summary>Restores the cache from its file before any traffic, so a restart answers from memory at once.</summary>
    private void StartCache()
    {
        if (_options.CacheSize == 0)
        {
            return;
        }
        Cache = new ResponseCache(_options, _time);
        string path = _options.PathToPersistence;
        var loaded = CacheFileRecovery.LoadAndRecover(path, _time, _logger);
        if (loaded.Outcome == LoadOutcome.NewerVersion)
        {
            throw new StartupException($"path_to_persistence: '{path}' was written by cache format version {loaded.FileVersion}; this build reads version {CacheFileFormat.CurrentVersion} and will not overwrite it (move the file aside or run a newer build)");
        }
        Cache.Restore(loaded.Entries);
        // A complete file already holds what was just restored: no need to write it again until something changes.
        long? persisted = loaded.Outcome == LoadOutcome.Complete ? Cache.ChangeVersion : null;
        _flusher = new CacheFlusher(Cache, path, _options.UnitTime, _time, _logger, persisted);
        _flusher.Start();
    }
}
