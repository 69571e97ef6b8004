using System.Net;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>
/// Every event the proxy logs, source-generated, grouped by area with fixed event id ranges:
/// lifecycle 1000-1099 (1090-1099 are the <see cref="LogFileWriter"/>'s own lines), connections 1100-1199,
/// upstream 1200-1299. Ids are an interface for people grepping logs: never renumber one.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Starting on port {Port}, targets {Targets}, config {ConfigPath}")]
    internal static partial void Starting(ILogger logger, int port, string targets, string configPath);

    [LoggerMessage(1004, LogLevel.Warning, "SIGHUP was ignored when the proxy started (as under nohup); kill -HUP may not reload proxy.conf or reopen the log. Start it without nohup (setsid, or a service manager)")]
    internal static partial void SighupIgnoredAtStart(ILogger logger);

    [LoggerMessage(1001, LogLevel.Information, "Listening on {EndPoint}")]
    internal static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(1002, LogLevel.Information, "Shutting down; in-flight requests have up to {TimeoutSeconds}s")]
    internal static partial void ShuttingDown(ILogger logger, double timeoutSeconds);

    [LoggerMessage(1003, LogLevel.Information, "Stopped")]
    internal static partial void Stopped(ILogger logger);

    [LoggerMessage(1010, LogLevel.Information, "Cache loaded: {Entries} entries, {Bytes} bytes from {File} in {DurationMs}ms")]
    internal static partial void CacheLoaded(ILogger logger, int entries, long bytes, string file, double durationMs);

    [LoggerMessage(1011, LogLevel.Warning, "Cache file {File} damaged at offset {Offset}: {Reason}; kept the records before it, moved the file to {QuarantinePath}")]
    internal static partial void CacheLoadDamaged(ILogger logger, string file, long offset, string reason, string quarantinePath);

    [LoggerMessage(1012, LogLevel.Warning, "Cache file {File} has format version {Version}, newer than the supported {Supported}; starting with an empty cache and leaving the file alone")]
    internal static partial void CacheFileNewerVersion(ILogger logger, string file, int version, int supported);

    [LoggerMessage(1020, LogLevel.Information, "Log file {Path} reopened")]
    internal static partial void LogReopened(ILogger logger, string path);
}
