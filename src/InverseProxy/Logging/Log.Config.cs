using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Configuration reloads: part of the lifecycle range, 1030-1039.</summary>
internal static partial class Log
{
    [LoggerMessage(1030, LogLevel.Information, "Configuration reloaded from {ConfigPath}")]
    internal static partial void ConfigReloaded(ILogger logger, string configPath);

    [LoggerMessage(1031, LogLevel.Warning, "Configuration reload rejected, keeping the running settings: {Reason}")]
    internal static partial void ConfigReloadRejected(ILogger logger, string reason);
}
