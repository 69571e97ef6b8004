using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A WebSocket origin on loopback: answers the opening handshake (RFC 6455 §4.2.2) with 101, then echoes every
/// message. A text message "close-from-origin" makes it close the connection itself. With <c>rawEcho</c> it echoes
/// the bytes after the handshake as they come, with no framing, and passes a half-close back.
/// </summary>
internal sealed class WebSocketEchoOrigin : IDisposable
{
    public const string CloseRequest = "close-from-origin";
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly LoopbackListener _listener;
    private readonly bool _rawEcho;
    private volatile string _lastHead = "";

    public WebSocketEchoOrigin(bool rawEcho = false)
    {
        _rawEcho = rawEcho;
        _listener = new LoopbackListener("ws-echo", (socket, _) => Serve(socket));
    }

    public int Port => _listener.Port;

    /// <summary>The last handshake head received, as text.</summary>
    public string LastHead => _lastHead;

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket)
    {
        string head = ReadHead(socket);
        _lastHead = head;
        string key = FieldValue(head, "Sec-WebSocket-Key") ?? "";
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines Sec-WebSocket-Accept with SHA-1; nothing secret is hashed
        string accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350
        socket.Send(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        if (_rawEcho)
        {
            EchoRaw(socket);
            return;
        }
        try
        {
            EchoMessages(socket);
        }
        catch (WebSocketException)
        {
            // The peer went away mid-conversation: the test asserting on the client side says what went wrong.
        }
    }

    private static void EchoRaw(Socket socket)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            socket.Send(buffer.AsSpan(0, n));
        }
        socket.Shutdown(SocketShutdown.Send);
    }

    private static void EchoMessages(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var ws = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var buffer = new byte[256 * 1024];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = ws.ReceiveAsync(buffer.AsMemory(length), default).AsTask().GetAwaiter().GetResult();
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", default).GetAwaiter().GetResult();
                return;
            }
            var message = buffer.AsMemory(0, length);
            if (result.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(message.Span) == CloseRequest)
            {
                ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "origin closes", default).GetAwaiter().GetResult();
                return;
            }
            ws.SendAsync(message, result.MessageType, true, default).AsTask().GetAwaiter().GetResult();
        }
    }

    private static string ReadHead(Socket socket)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (socket.Receive(one) == 0)
            {
                throw new IOException("closed before the end of the handshake");
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static string? FieldValue(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }
        return null;
    }
}
