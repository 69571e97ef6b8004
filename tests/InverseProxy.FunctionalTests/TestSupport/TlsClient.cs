using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A TLS client on one kept-alive connection to the proxy's TLS port: it trusts only the test's CA, sends the server
/// name it is given (SNI), and reads raw responses framed by Content-Length, so tests see the wire.
/// </summary>
internal sealed class TlsClient : IDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Connects and completes the handshake; throws <see cref="AuthenticationException"/> or <see cref="IOException"/> when it fails.</summary>
    public TlsClient(int port, string serverName, TestCa ca, SslProtocols protocols = SslProtocols.None)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _stream = new SslStream(new NetworkStream(_socket, ownsSocket: false));
        try
        {
            _stream.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                EnabledSslProtocols = protocols,
                CertificateChainPolicy = TrustOnly(ca),
            });
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The certificate the proxy presented.</summary>
    public X509Certificate2 ServerCertificate => new(_stream.RemoteCertificate!);

    public SslProtocols Protocol => _stream.SslProtocol;

    public WireMessage Exchange(string request)
    {
        _stream.Write(Encoding.Latin1.GetBytes(request));
        _stream.Flush();
        return ReadResponse();
    }

    public WireMessage ReadResponse()
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            Fill();
        }
        string raw = Encoding.Latin1.GetString(_buffer, _start, headEnd + 4);
        _start += headEnd + 4;
        var lines = raw.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1)
            .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim()))
            .ToList();
        string? length = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        int bodyLength = length is null ? 0 : int.Parse(length);
        while (_end - _start < bodyLength)
        {
            Fill();
        }
        byte[] body = _buffer.AsSpan(_start, bodyLength).ToArray();
        _start += bodyLength;
        return new WireMessage { StartLine = lines[0], Headers = headers, Body = body, RawHead = raw };
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            throw new IOException("proxy closed the TLS connection");
        }
        _end += n;
    }

    private static X509ChainPolicy TrustOnly(TestCa ca)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca.Certificate);
        return policy;
    }
}
