using InverseProxy.Http;
using InverseProxy.Logging;

namespace InverseProxy.Proxy;

/// <summary>Turns a finished request into one access log line (or nothing, with access_log off).</summary>
internal sealed class RequestLogger
{
    private readonly AccessLog? _accessLog;
    private readonly TimeProvider _time;

    public RequestLogger(AccessLog? accessLog, TimeProvider time)
    {
        _accessLog = accessLog;
        _time = time;
    }

    public void Write(ClientSession session, RequestHead? request, RequestOutcome outcome, TimeSpan duration, long requestBytes)
    {
        if (_accessLog is null)
        {
            return;
        }
        var entry = new AccessLogEntry
        {
            Timestamp = _time.GetUtcNow(),
            ClientAddress = session.RemoteAddress,
            Method = request?.Method,
            Target = request?.Target,
            Protocol = request?.Version ?? HttpVersion.Http11,
            Status = outcome.Status,
            BytesSent = outcome.BodyBytes,
            RequestBytes = requestBytes,
            Duration = duration,
            Upstream = outcome.Target,
            Cache = outcome.Cache,
            UserAgent = request?.Headers.Get("User-Agent"),
            Referer = request?.Headers.Get("Referer"),
            ConnectionId = session.Id,
            Site = outcome.Site,
            Tls = session.Tls?.ProtocolName,
        };
        _accessLog.Write(entry);
    }
}
