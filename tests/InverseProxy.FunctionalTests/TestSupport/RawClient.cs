using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>A client that writes raw bytes to the proxy and reads raw responses back, so tests see the wire.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly Socket _socket;
    private readonly WireReader _reader;

    public RawClient(int port, int receiveTimeoutMs = 10_000)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = receiveTimeoutMs };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        _reader = new WireReader(_socket);
    }

    public Socket Socket => _socket;

    public WireReader Reader => _reader;

    public void Send(string text) => Send(Encoding.Latin1.GetBytes(text));

    public void Send(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += _socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }
    }

    /// <summary>Reads one response; <paramref name="headRequest"/> when it answers a HEAD.</summary>
    public WireMessage ReadResponse(bool headRequest = false)
    {
        var head = _reader.ReadHead() ?? throw new IOException("proxy closed the connection without a response");
        int status = int.Parse(head.startLine.Split(' ')[1]);
        bool noBody = headRequest || status is 204 or 304 || status < 200;
        var (body, trailers) = _reader.ReadBody(head.headers, noBody, untilCloseIfUnframed: true);
        return new WireMessage { StartLine = head.startLine, Headers = head.headers, Body = body, Trailers = trailers, RawHead = head.raw };
    }

    /// <summary>Sends a request and reads its response.</summary>
    public WireMessage Exchange(string request, bool headRequest = false)
    {
        Send(request);
        return ReadResponse(headRequest);
    }

    /// <summary>
    /// True if the proxy closed the connection (the next read ends the stream, by FIN or reset); false if it stayed
    /// open: a byte arrived, or nothing did within the receive timeout.
    /// </summary>
    public bool IsClosedByPeer()
    {
        try
        {
            return _reader.ReadByte() < 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}

internal static class WireMessageExtensions
{
    public static int Status(this WireMessage message) => int.Parse(message.StartLine.Split(' ')[1]);
}
