using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>The shared second-level cache on Redis: 1400-1409.</summary>
internal static partial class Log
{
    [LoggerMessage(1400, LogLevel.Warning, "Redis connection to {EndPoint} failed: {Failure}")]
    internal static partial void SharedCacheConnectionFailed(ILogger logger, string endPoint, string failure);

    [LoggerMessage(1401, LogLevel.Information, "Redis connection to {EndPoint} restored")]
    internal static partial void SharedCacheConnectionRestored(ILogger logger, string endPoint);

    [LoggerMessage(1402, LogLevel.Warning, "Redis skipped for {Seconds}s after repeated failures; last: {Failure}")]
    internal static partial void SharedCacheCircuitOpened(ILogger logger, string failure, double seconds);
}
