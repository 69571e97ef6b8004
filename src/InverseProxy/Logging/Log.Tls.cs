using System.Net;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>HTTPS: the TLS listener, handshakes and certificates: 1700-1719.</summary>
internal static partial class Log
{
    [LoggerMessage(1700, LogLevel.Information, "Listening for HTTPS on {EndPoint}")]
    internal static partial void ListeningTls(ILogger logger, EndPoint endPoint);

    [LoggerMessage(1701, LogLevel.Debug, "conn={ConnectionId} {Remote} TLS handshake not done within {TimeoutMs}ms; closed")]
    internal static partial void TlsHandshakeTimedOut(ILogger logger, long connectionId, EndPoint? remote, double timeoutMs);

    [LoggerMessage(1702, LogLevel.Debug, "conn={ConnectionId} {Remote} TLS handshake failed ({Outcome}): {Detail}")]
    internal static partial void TlsHandshakeFailed(ILogger logger, long connectionId, EndPoint? remote, string outcome, string? detail);

    [LoggerMessage(1703, LogLevel.Error, "Certificate refused on reload, the one in use is kept: {Reason}")]
    internal static partial void CertificateRefused(ILogger logger, string reason);

    [LoggerMessage(1704, LogLevel.Information, "Certificates reloaded: {Pairs} certificate/key pair(s), {Refused} refused")]
    internal static partial void CertificatesReloaded(ILogger logger, int pairs, int refused);

    [LoggerMessage(1705, LogLevel.Debug, "conn={ConnectionId} {Remote} asked for Host {Host} on a TLS connection made for {ServerName}: 421")]
    internal static partial void HostNotServerName(ILogger logger, long connectionId, string remote, string host, string serverName);
}
