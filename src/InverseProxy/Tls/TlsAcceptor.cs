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
/// The server side of a TLS handshake on an accepted socket, synchronously on the connection's own thread (the socket
/// stays blocking, so the reads and writes after it are plain blocking calls too). The certificate follows the
/// server name read from the ClientHello (<see cref="ClientHello"/>, <see cref="ServerCertificates.Select"/>); the
/// versions are tls_protocols; the whole handshake must end within tls_handshake_timeout of its start, so a client
/// that connects and sends nothing, or trickles its hello, holds its thread no longer. Shared by every TLS
/// connection: holds no per-handshake state.
/// </summary>
internal sealed class TlsAcceptor
{
    private readonly CertificateStore _certificates;
    private readonly LiveConfig _config;
    private readonly TimeProvider _time;
    private readonly TlsCounters _counters = new();

    private static readonly List<SslApplicationProtocol> s_http11 = [SslApplicationProtocol.Http11];

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
        // The deadline shuts the socket down, which ends a read or write blocked in the handshake at once; the
        // socket's own timeouts would bound each read, not the whole, so a trickling client could stretch them.
        var deadline = new HandshakeDeadline(socket);
        using var timer = _time.CreateTimer(static state => ((HandshakeDeadline)state!).Pass(), deadline, config.Options.TlsHandshakeTimeout, Timeout.InfiniteTimeSpan);
        SslStream? stream = null;
        try
        {
            var hello = new byte[ClientHello.MaxBytes];
            int count = ReadClientHello(socket, hello, out string? serverName);
            var certificate = _certificates.Current.Select(config.Sites, serverName, out string? site);
            stream = new SslStream(new ReplayStream(socket, hello, count), leaveInnerStreamOpen: false);
            stream.AuthenticateAsServer(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate,
                EnabledSslProtocols = config.Options.TlsProtocols,
                ClientCertificateRequired = false,
                // HTTP/1.1 only; a client offering h2 falls back to it (RFC 7301 §3.2).
                ApplicationProtocols = s_http11,
            });
            timer.Dispose();
            if (deadline.Passed)
            {
                stream.Dispose();
                _counters.TimedOut();
                return HandshakeOutcome.TimedOut;
            }
            session = new TlsSession(stream, serverName, site);
            _counters.Completed(session.Protocol);
            return HandshakeOutcome.Done;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            timer.Dispose();
            stream?.Dispose();
            if (deadline.Passed)
            {
                _counters.TimedOut();
                return HandshakeOutcome.TimedOut;
            }
            _counters.Refused();
            detail = e.InnerException?.Message ?? e.Message;
            return e is AuthenticationException ? HandshakeOutcome.Refused : HandshakeOutcome.ClientGone;
        }
    }

    /// <summary>
    /// Reads until the first record is whole (or is no ClientHello); returns the count read, all of which the
    /// handshake then reads again (<see cref="ReplayStream"/>). Throws <see cref="IOException"/> when the client closes first.
    /// </summary>
    private static int ReadClientHello(Socket socket, byte[] buffer, out string? serverName)
    {
        int count = 0;
        serverName = null;
        while (count < buffer.Length)
        {
            int n = socket.Receive(buffer, count, buffer.Length - count, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the client closed before its TLS hello was complete");
            }
            count += n;
            if (ClientHello.TryReadServerName(buffer.AsSpan(0, count), out serverName) != ClientHelloRead.NeedMore)
            {
                break;
            }
        }
        return count;
    }

    /// <summary>Set once the handshake's time is up; shutting the socket down ends whatever read or write waits on it.</summary>
    private sealed class HandshakeDeadline(Socket socket)
    {
        private volatile bool _passed;

        public bool Passed => _passed;

        public void Pass()
        {
            _passed = true;
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed already: nothing waits on it any more.
            }
        }
    }
}
