using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>Admin port events (load tests started from the dashboard): 1500-1519.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "admin: load test started: GET {Url} Host {Host}, {Connections} connections for {DurationSeconds}s")]
    internal static partial void LoadTestStarted(ILogger logger, Uri url, string host, int connections, double durationSeconds);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "admin: load test finished: {Requests} responses, {RequestsPerSecond:0.0} req/s, p99 {P99Ms:0.000} ms, {Errors} errors")]
    internal static partial void LoadTestFinished(ILogger logger, long requests, double requestsPerSecond, double p99Ms, long errors);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "admin: load test failed")]
    internal static partial void LoadTestFailed(ILogger logger, Exception error);
}
