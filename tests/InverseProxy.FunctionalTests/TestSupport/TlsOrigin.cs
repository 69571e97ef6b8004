using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// An HTTPS origin on loopback with a throwaway self-signed certificate for 127.0.0.1: answers every request on a
/// connection with <see cref="Body"/>, then closes. Clients must skip verification (curl -k).
/// </summary>
internal sealed class TlsOrigin : IDisposable
{
    public const string Body = "hello over tls";

    private readonly X509Certificate2 _certificate = MakeCertificate();
    private readonly LoopbackListener _listener;

    public TlsOrigin()
    {
        _listener = new LoopbackListener("tls-origin", (socket, _) => Serve(socket));
    }

    public int Port => _listener.Port;

    public void Dispose()
    {
        _listener.Dispose();
        _certificate.Dispose();
    }

    private void Serve(Socket socket)
    {
        using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            tls.AuthenticateAsServer(_certificate);
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            return;
        }
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && tls.Read(one) == 1)
        {
            head.Append((char)one[0]);
        }
        tls.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}"));
        tls.ShutdownAsync().GetAwaiter().GetResult();
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Through PKCS#12 so that SslStream on Linux finds the private key with the certificate.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }
}
