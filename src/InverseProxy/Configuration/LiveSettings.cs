namespace InverseProxy.Configuration;

/// <summary>
/// Applies a reloaded proxy.conf (SIGHUP) to the running proxy's options. Settings read per request or per
/// connection take effect at once; those bound at start (sockets, files, cache size) are reported as needing a restart.
/// </summary>
internal static class LiveSettings
{
    /// <summary>Copies the reloadable settings of <paramref name="next"/> onto <paramref name="live"/>; returns the keys that need a restart.</summary>
    public static IReadOnlyList<string> Apply(ProxyOptions live, ProxyOptions next)
    {
        var restart = new List<string>();
        Check(restart, "port", live.Port, next.Port);
        Check(restart, "bind_address", live.BindAddress, next.BindAddress);
        Check(restart, "spare_threads", live.SpareThreads, next.SpareThreads);
        Check(restart, "cache_size", live.CacheSize, next.CacheSize);
        Check(restart, "path_to_persistence", live.PathToPersistence, next.PathToPersistence);
        Check(restart, "path_to_log", live.PathToLog, next.PathToLog);
        Check(restart, "unit_time", live.UnitTime, next.UnitTime);
        Check(restart, "log_level", live.LogLevel, next.LogLevel);
        Check(restart, "access_log", live.AccessLog, next.AccessLog);
        Check(restart, "access_log_format", live.AccessLogFormat, next.AccessLogFormat);
        Check(restart, "log_max_size", live.LogMaxSize, next.LogMaxSize);
        Check(restart, "log_keep", live.LogKeep, next.LogKeep);
        Check(restart, "admin_port", live.AdminPort, next.AdminPort);
        Check(restart, "admin_bind_address", live.AdminBindAddress, next.AdminBindAddress);

        live.MaxConnections = next.MaxConnections;
        live.ConnectionTimeout = next.ConnectionTimeout;
        live.ShutdownTimeout = next.ShutdownTimeout;
        live.MaxRequestLineBytes = next.MaxRequestLineBytes;
        live.MaxHeaderBytes = next.MaxHeaderBytes;
        live.MaxHeaderCount = next.MaxHeaderCount;
        live.MaxRequestBodyBytes = next.MaxRequestBodyBytes;
        live.RequestBufferSize = next.RequestBufferSize;
        live.Targets = next.Targets;
        live.UpstreamHost = next.UpstreamHost;
        live.UpstreamConnectTimeout = next.UpstreamConnectTimeout;
        live.UpstreamReadTimeout = next.UpstreamReadTimeout;
        live.UpstreamMaxIdlePerTarget = next.UpstreamMaxIdlePerTarget;
        live.UpstreamIdleTimeout = next.UpstreamIdleTimeout;
        live.UpstreamHoldDown = next.UpstreamHoldDown;
        live.MaxEntrySize = next.MaxEntrySize;
        live.Ttl = next.Ttl;
        live.CacheUnmarked = next.CacheUnmarked;
        live.MaxTtl = next.MaxTtl;
        live.CacheSetCookie = next.CacheSetCookie;
        live.PurgeAllowed = next.PurgeAllowed;
        return restart;
    }

    private static void Check<T>(List<string> restart, string key, T current, T next)
    {
        if (!EqualityComparer<T>.Default.Equals(current, next))
        {
            restart.Add(key);
        }
    }
}
