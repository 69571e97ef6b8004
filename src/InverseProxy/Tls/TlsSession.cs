using System.Net.Security;
using System.Security.Authentication;

namespace InverseProxy.Tls;

/// <summary>What a finished handshake settled for one client connection: its stream, version and server name.</summary>
internal sealed class TlsSession : IDisposable
{
    public TlsSession(SslStream stream, string? serverName, string? sniSite)
    {
        Stream = stream;
        Transport = new TlsTransport(stream);
        ServerName = string.IsNullOrEmpty(serverName) ? null : serverName;
        SniSite = sniSite;
        Protocol = stream.SslProtocol;
        ProtocolName = TlsVersions.Name(Protocol);
    }

    public SslStream Stream { get; }

    public TlsTransport Transport { get; }

    /// <summary>The server name the client asked for (SNI, RFC 6066 §3); null when it sent none.</summary>
    public string? ServerName { get; }

    /// <summary>
    /// The name of the site <see cref="ServerName"/> routed to when the certificate was chosen; null without SNI. A
    /// request on this connection for a Host of another site is misdirected (421, RFC 9110 §15.5.20).
    /// </summary>
    public string? SniSite { get; }

    public SslProtocols Protocol { get; }

    /// <summary>"TLSv1.3", for the access log and stats.</summary>
    public string ProtocolName { get; }

    public void Dispose() => Stream.Dispose();
}
