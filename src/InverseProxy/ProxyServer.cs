using System.Net;
using InverseProxy.Admin;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.Caching.Shared;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Metrics;
using InverseProxy.Networking;
using InverseProxy.Proxy;
using InverseProxy.Routing;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy;

/// <summary>
/// Owns the proxy's lifetime. Start: load the cache file, start the flusher, start the listener.
/// Stop, in reverse: stop accepting, drain in-flight requests (bounded), final cache write, close the pool.
/// </summary>
internal sealed class ProxyServer : IDisposable
{
    private readonly ProxyOptions _startOptions; // as given at start: the keys that need a restart keep these values
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RequestLogger _requestLogger;
    private UpstreamPool? _pool;
    private DynamicTargetRegistry? _dynamicTargets;
    private LiveConfig? _config;
    private CacheFlusher? _flusher;
    private AdminServer? _admin;
    private ConnectionServices? _services;
    private ConnectionListener? _listener;
    private ConnectionListener? _tlsListener;
    private Tls.TlsAcceptor? _tls;
    private int _stopped;

    public ProxyServer(ProxyOptions options, ILoggerFactory loggerFactory, TimeProvider time, RequestLogger requestLogger)
    {
        _startOptions = options;
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

    /// <summary>Figures of tunnels, the forward proxy and proxy authentication.</summary>
    public TunnelCounters Tunnels { get; } = new();

    public FlushStatistics? FlushStatistics => _flusher?.Statistics;

    public UpstreamPool? Pool => _pool;

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Connection threads alive, serving or parked.</summary>
    public int ConnectionThreads => _listener?.Threads ?? 0;

    /// <summary>Connection threads that have made their connection buffers.</summary>
    public int ConnectionBuffersMade => _listener?.BuffersMade ?? 0;

    /// <summary>Where the admin listener listens, or null when admin_port is 0.</summary>
    public IPEndPoint? AdminEndPoint => _admin?.LocalEndPoint;

    /// <summary>The configuration in force: settings and sites.</summary>
    public ProxyConfig Config => _config?.Current ?? throw new InvalidOperationException("not started");

    /// <summary>Every configured target of every site (targets made from templates are counted in <see cref="DynamicTargets"/>).</summary>
    public IReadOnlyList<UpstreamTarget> Targets =>
        _config is null ? [] : _config.Current.Sites.All.SelectMany(s => s.Targets?.Targets ?? []).ToArray();

    public DynamicTargetRegistry? DynamicTargets => _dynamicTargets;

    /// <summary>Where the HTTPS listener listens, or null when tls_port is 0.</summary>
    public IPEndPoint? TlsEndPoint => _tlsListener?.LocalEndPoint;

    /// <summary>Handshakes on the TLS port; null when tls_port is 0.</summary>
    public Tls.TlsCounters? TlsCounters => _tls?.Counters;

    /// <summary>Where the proxy listens (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => _listener?.LocalEndPoint ?? throw new InvalidOperationException("not started");

    /// <summary>Loads the cache file, starts the flusher, then starts accepting. Throws <see cref="StartupException"/>.</summary>
    public void Start()
    {
        StartedAt = _time.GetUtcNow();
        var options = _startOptions;
        StartCache(options);
        _pool = new UpstreamPool(() => Config.Options, _time);
        _dynamicTargets = new DynamicTargetRegistry(_pool, _time, () => (Config.Options.MaxDynamicTargets, Config.Options.UpstreamIdleTimeout));
        _config = new LiveConfig(ProxyConfig.Build(options, null, _pool, _dynamicTargets, _time));
        var forwarder = new Forwarder(_pool, _logger);
        var pipeline = new RequestPipeline(_config, forwarder, Cache, _logger, _time, Tunnels);
        _services = new ConnectionServices(_config, pipeline, Metrics, _requestLogger, _logger, _time, ThreadStarter);
        _listener = new ConnectionListener(new IPEndPoint(options.BindAddress, options.Port), _services);
        _listener.Start();
        StartTls(options);
        if (options.AdminPort != 0)
        {
            _admin = new AdminServer(new IPEndPoint(options.AdminBindAddress, options.AdminPort), this, _time, _logger, ThreadStarter);
        }
        Log.Listening(_logger, _listener.LocalEndPoint);
    }

    /// <summary>
    /// Applies a reloaded configuration without dropping connections or the cache: the settings and sites are built
    /// anew and swapped in whole; a target kept keeps its pool and health, a site kept its counters. Requests under
    /// way finish on the snapshot they started with. Returns the keys that need a restart (their old values stay).
    /// </summary>
    public IReadOnlyList<string> Reload(ProxyOptions next)
    {
        var current = Config;
        var merged = LiveSettings.Merge(current.Options, next, out var restart);
        _config!.Swap(ProxyConfig.Build(merged, current, _pool!, _dynamicTargets!, _time));
        Cache?.Reconfigure(merged);
        _tls?.Certificates.Reload(merged);
        return restart;
    }

    /// <summary>The HTTPS listener on tls_port, beside the plain one and sharing its connections and limits.</summary>
    private void StartTls(ProxyOptions options)
    {
        if (options.TlsPort == 0)
        {
            return;
        }
        var certificates = Tls.CertificateStore.Load(options, _logger, _time);
        _tls = new Tls.TlsAcceptor(certificates, _config!, _time);
        _tlsListener = new ConnectionListener(new IPEndPoint(options.BindAddress, options.TlsPort), _services!, _tls);
        _tlsListener.Start();
        Log.ListeningTls(_logger, _tlsListener.LocalEndPoint);
    }

    /// <summary>
    /// PURGE on the admin port: removes what is stored for the request's URI (absolute-form, or path and Host) in the
    /// site that URI routes to, as the proxy port's PURGE would. Throws <see cref="HttpParseException"/> for a bad authority.
    /// </summary>
    public int Purge(RequestHead head)
    {
        var request = new ProxyRequest();
        RequestAuthority.Bind(request, head, Config, "http");
        var site = Config.Sites.Route(request.Host, out _);
        if (site is null || Cache is null)
        {
            return 0;
        }
        request.Route(site, site.Targets);
        Cache.SecondLevel?.Invalidate(request.CacheKey);
        Cache.SecondLevel?.Invalidate(request.OtherSchemeKey);
        return Cache.Invalidate(request.CacheKey) + Cache.Invalidate(request.OtherSchemeKey);
    }

    /// <summary>Graceful stop; safe to call more than once.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        var options = _config?.Current.Options ?? _startOptions;
        Log.ShuttingDown(_logger, options.ShutdownTimeout.TotalSeconds);
        _listener?.Stop();
        _tlsListener?.Stop();
        _admin?.Dispose();
        if (_services is not null)
        {
            _services.BeginDrain();
            if (!_services.WaitForDrain(options.ShutdownTimeout))
            {
                _services.AbortAll();
            }
        }
        _listener?.Dispose();
        _tlsListener?.Dispose();
        _pool?.Dispose();
        Cache?.SecondLevel?.Dispose();
        if (_flusher is not null)
        {
            _flusher.FlushNow();
            _flusher.Dispose();
        }
        Log.Stopped(_logger);
    }

    public void Dispose() => Stop();

    /// <summary>Restores the cache from its file before any traffic, so a restart answers from memory at once.</summary>
    private void StartCache(ProxyOptions options)
    {
        if (options.CacheSize == 0)
        {
            return;
        }
        Cache = new ResponseCache(options, _time);
        string path = options.PathToPersistence;
        var restoring = Cache.BeginRestore();
        var loaded = CacheFileRecovery.LoadAndRecover(path, options.CorruptKeep, _time, _logger, restoring.Offer);
        if (loaded.Outcome == LoadOutcome.NewerVersion)
        {
            throw new StartupException($"path_to_persistence: '{path}' was written by cache format version {loaded.FileVersion}; this build reads version {CacheFileFormat.CurrentVersion} and will not overwrite it (move the file aside or run a newer build)");
        }
        restoring.Finish();
        if (options.Redis.Length > 0)
        {
            Cache.SecondLevel = SharedCache.Start(options, Cache, _time, _logger);
        }
        // A complete file already holds what was just restored: no need to write it again until something changes.
        long? persisted = loaded.Outcome == LoadOutcome.Complete ? Cache.ChangeVersion : null;
        _flusher = new CacheFlusher(Cache, path, options.UnitTime, _time, _logger, persisted);
        _flusher.Start();
    }
}
