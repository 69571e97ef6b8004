using System.Net;
using HttpVersion = InverseProxy.Http.HttpVersion;
using InverseProxy.Http;

namespace InverseProxy.Logging;

/// <summary>One request as the access log records it. Null strings are written as <c>-</c> (null in JSON).</summary>
internal readonly struct AccessLogEntry
{
    /// <summary>When the response was finished; default = the access log's clock at the time of writing.</summary>
    public DateTimeOffset Timestamp { get; init; }

    public IPAddress? ClientAddress { get; init; }

    public string? Method { get; init; }

    /// <summary>The request-target as received.</summary>
    public string? Target { get; init; }

    public HttpVersion Protocol { get; init; }

    public int Status { get; init; }

    /// <summary>Response body bytes sent to the client (nginx's <c>$body_bytes_sent</c>).</summary>
    public long BytesSent { get; init; }

    /// <summary>Request body bytes received from the client.</summary>
    public long RequestBytes { get; init; }

    /// <summary>From the first byte of the request head to the last byte of the response.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The target (host:port) that served the request; null when none did (a cache hit, a refusal).</summary>
    public string? Upstream { get; init; }

    public CacheResult Cache { get; init; }

    public string? UserAgent { get; init; }

    public string? Referer { get; init; }

    public long ConnectionId { get; init; }

    /// <summary>The site that served the request; null when none was chosen (a malformed request, 421).</summary>
    public string? Site { get; init; }

    /// <summary>The TLS version of the connection ("TLSv1.3"); null on the plain port.</summary>
    public string? Tls { get; init; }
}
