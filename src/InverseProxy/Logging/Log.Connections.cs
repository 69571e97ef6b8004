using System.Net;
using InverseProxy.Http;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Client connections: 1100-1199.</summary>
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Error, "Accept failed; the listener keeps accepting")]
    internal static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(1101, LogLevel.Warning, "Accept is short of resources; backing off {DelayMs}ms")]
    internal static partial void AcceptBackoff(ILogger logger, double delayMs);

    [LoggerMessage(1102, LogLevel.Warning, "Connection from {Remote} refused: {Limit} connections already open")]
    internal static partial void ConnectionRejectedLimit(ILogger logger, EndPoint? remote, int limit);

    [LoggerMessage(1103, LogLevel.Debug, "conn={ConnectionId} {Remote} sent a bad request: {Error} {Detail}")]
    internal static partial void ClientProtocolError(ILogger logger, long connectionId, EndPoint? remote, HttpParseError error, string? detail);

    [LoggerMessage(1104, LogLevel.Debug, "conn={ConnectionId} closed on an I/O error")]
    internal static partial void ConnectionError(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(1106, LogLevel.Information, "Accept loop runs at real-time priority: {RealTime} (needs root, CAP_SYS_NICE or LimitRTPRIO; without it a burst of thousands of new clients can overflow the listen backlog)")]
    internal static partial void AcceptPriority(ILogger logger, bool realTime);

    [LoggerMessage(1107, LogLevel.Warning, "No thread could be started on the {Listener} listener ({Error}); {Refused} connection(s) refused with 503 since the last warning. Check the process's thread limit (pids cgroup, systemd TasksMax, ulimit -u)")]
    internal static partial void ThreadStartFailed(ILogger logger, string listener, long refused, string error);

    [LoggerMessage(1108, LogLevel.Information, "conn={ConnectionId} {Remote} took a response too slowly: send_timeout ({TimeoutMs}ms) passed after {BytesSent} bytes; connection reset")]
    internal static partial void SendTimedOut(ILogger logger, long connectionId, EndPoint? remote, long bytesSent, double timeoutMs);

    [LoggerMessage(1109, LogLevel.Information, "conn={ConnectionId} {Remote} sent a request body below min_body_rate; answered 408")]
    internal static partial void BodyTooSlow(ILogger logger, long connectionId, EndPoint? remote);

    [LoggerMessage(1105, LogLevel.Error, "conn={ConnectionId} handler crashed; connection closed")]
    internal static partial void HandlerCrashed(ILogger logger, long connectionId, Exception exception);
}
