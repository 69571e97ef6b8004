using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using InverseProxy.Routing;

namespace InverseProxy.Tls;

/// <summary>How a server handshake ended.</summary>
internal enum HandshakeOutcome
{
    Done,
    TimedOut,
    Refused,
    ClientGone,
}

/// <summary>
/// The server side of a TLS handshake on an accepted socket, on the connection's own thread. The certificate follows
/// the client's server name (<see cref="ServerCertificates.Select"/>); the versions are tls_protocols; the whole
/// handshake must end within tls_handshake_timeout of its start, so a client that connects and sends nothing, or
/// trickles its hello, holds its thread no longer. Shared by every TLS connection: holds no per-handshake state.
/// </summary>
internal sealed class TlsAcceptor
{
    private readonly CertificateStore _certificates;
    private readonly LiveConfig _config;
    private readonly TimeProvider _time;
    private readonly TlsCounters _counters = new();

    public TlsAcceptor(CertificateStore certificates, LiveConfig config, TimeProvider time)
    {
        _certificates = certificates;
        _config = config;
        _time = time;
    }

    public CertificateStore Certificates => _certificates;

    public TlsCounters Counters => _counters;

    /// <summary>Runs the handshake; on <see cref="HandshakeOutcome.Done"/> <paramref name="session"/> carries the stream, else the socket is left for the caller to close.</summary>
    public HandshakeOutcome Accept(Socket socket, out TlsSession? session, out string? detail)
    {
        session = null;
        detail = null;
        var config = _config.Current;
        var state = new Handshake(config, _certificates.Current);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(config.Options.TlsHandshakeTimeout, _time);
        try
        {
            stream.AuthenticateAsServerAsync(SelectOptions, state, deadline.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException || (deadline.IsCancellationRequested && e is IOException or SocketException or AuthenticationException))
        {
            stream.Dispose();
            _counters.TimedOut();
            return HandshakeOutcome.TimedOut;
        }
        catch (AuthenticationException e)
        {
            stream.Dispose();
            detail = e.InnerException?.Message ?? e.Message;
            _counters.Refused();
            return HandshakeOutcome.Refused;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            stream.Dispose();
            detail = e.Message;
            _counters.Refused();
            return HandshakeOutcome.ClientGone;
        }
        session = new TlsSession(stream, state.ServerName, state.Site);
        _counters.Completed(session.Protocol);
        return HandshakeOutcome.Done;
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectOptions(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancel)
    {
        var handshake = (Handshake)state!;
        handshake.ServerName = hello.ServerName;
        var certificate = handshake.Certificates.Select(handshake.Config.Sites, hello.ServerName, out string? site);
        handshake.Site = site;
        return ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = handshake.Config.Options.TlsProtocols,
            ClientCertificateRequired = false,
            // HTTP/1.1 only; a client offering h2 falls back to it (RFC 7301 §3.2).
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
    }

    /// <summary>One handshake's choices, filled in by the options callback.</summary>
    private sealed class Handshake(ProxyConfig config, ServerCertificates certificates)
    {
        public ProxyConfig Config { get; } = config;

        public ServerCertificates Certificates { get; } = certificates;

        public string? ServerName { get; set; }

        public string? Site { get; set; }
    }
}
