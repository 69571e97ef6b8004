using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Request-path events: 1300-1399.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "{Method} {Target} could not be forwarded: {Error} ({Detail})")]
    internal static partial void ForwardFailed(ILogger logger, string method, string target, string error, string detail);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "response body from {Target} broke off: {Reason}")]
    internal static partial void UpstreamBodyFailed(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "background revalidation of {Key} failed: {Reason}")]
    internal static partial void BackgroundRevalidationFailed(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Warning, Message = "Reloaded configuration changes {Keys}; those take effect after a restart")]
    internal static partial void ConfigNeedsRestart(ILogger logger, string keys);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "demo origin on port {Port} not started: {Reason}")]
    internal static partial void DemoOriginNotStarted(ILogger logger, int port, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "no site for host '{Host}' (client {Client}): answered 421")]
    internal static partial void NoSiteForHost(ILogger logger, string host, string client);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning, Message = "site {Site}: no target for host '{Host}': {Reason}; answered 421")]
    internal static partial void DynamicTargetRefused(ILogger logger, string site, string host, string reason);
}
