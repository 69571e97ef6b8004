using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Tunnels, the forward proxy and proxy authentication: part of the request-path range, 1350-1369.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1350, Level = LogLevel.Information, Message = "{Kind} tunnel {Client} <-> {Target} closed ({End}) after {DurationMs} ms: {BytesUp} bytes up, {BytesDown} bytes down")]
    internal static partial void TunnelClosed(ILogger logger, string kind, string client, string target, InverseProxy.Proxy.TunnelEnd end, long durationMs, long bytesUp, long bytesDown);

    [LoggerMessage(EventId = 1351, Level = LogLevel.Warning, Message = "{Method} to '{Destination}' from {Client} refused: {Reason}; answered 403")]
    internal static partial void DestinationRefused(ILogger logger, string method, string destination, string client, string reason);

    [LoggerMessage(EventId = 1352, Level = LogLevel.Warning, Message = "proxy authentication failed for user '{User}' from {Client} ({Method} {Destination}); answered 407")]
    internal static partial void ProxyAuthenticationFailed(ILogger logger, string user, string client, string method, string destination);
}
