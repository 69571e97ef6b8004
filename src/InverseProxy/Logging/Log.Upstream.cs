using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Targets and forwarding: 1200-1299.</summary>
internal static partial class Log
{
    [LoggerMessage(1200, LogLevel.Warning, "Connect to target {Target} failed: {Reason}")]
    internal static partial void TargetConnectFailed(ILogger logger, string target, string reason);

    [LoggerMessage(1201, LogLevel.Warning, "Target {Target} held down for {Seconds}s")]
    internal static partial void TargetHeldDown(ILogger logger, string target, double seconds);

    [LoggerMessage(1202, LogLevel.Information, "Target {Target} recovered")]
    internal static partial void TargetRecovered(ILogger logger, string target);

    [LoggerMessage(1203, LogLevel.Warning, "Target {Target} timed out")]
    internal static partial void UpstreamTimeout(ILogger logger, string target);

    [LoggerMessage(1204, LogLevel.Warning, "Target {Target} sent a malformed response: {Detail}")]
    internal static partial void UpstreamProtocolError(ILogger logger, string target, string detail);

    [LoggerMessage(1205, LogLevel.Information, "{Method} to {Target} failed before any response; retrying on {Next}")]
    internal static partial void RetryingOnNextTarget(ILogger logger, string method, string target, string next);
}
