using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace WsLoad;

// The opening handshake of RFC 6455 section 4, both sides. Neither peer sends a frame before the handshake is done
// (the client waits for 101, the server for the request), so bytes past the head are a protocol error here.
internal static class Handshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int MaxHead = 8192;

    public static async Task ClientAsync(NetworkStream stream, Uri url, CancellationToken cancel)
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        string request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\n" +
            $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel);
        string head = await ReadHeadAsync(stream, cancel);
        string status = head[..head.IndexOf('\r', StringComparison.Ordinal)];
        if (!status.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"handshake answered '{status}'");
        }
        if (Field(head, "Sec-WebSocket-Accept") != AcceptFor(key))
        {
            throw new IOException("handshake answered a wrong Sec-WebSocket-Accept (RFC 6455 section 4.1)");
        }
    }

    // Answers 101 to an upgrade and true; anything else gets 200 "ok", which is how readiness is probed, and false.
    public static async Task<bool> ServerAsync(NetworkStream stream, CancellationToken cancel)
    {
        string head = await ReadHeadAsync(stream, cancel);
        string? key = Field(head, "Sec-WebSocket-Key");
        if (key is null || !string.Equals(Field(head, "Upgrade"), "websocket", StringComparison.OrdinalIgnoreCase))
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), cancel);
            return false;
        }
        string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {AcceptFor(key)}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), cancel);
        return true;
    }

    // RFC 6455 section 4.2.2 fixes SHA-1 here; it proves the server read the key, it protects nothing.
#pragma warning disable CA5350
    private static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
#pragma warning restore CA5350

    private static string? Field(string head, string name)
    {
        foreach (string line in head.Split("\r\n"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }
        return null;
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream, CancellationToken cancel)
    {
        var buffer = new byte[MaxHead];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancel);
            if (read == 0)
            {
                throw new IOException("connection closed during the handshake");
            }
            filled += read;
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                if (end + 4 != filled)
                {
                    throw new IOException("bytes after the handshake head before it was answered");
                }
                return Encoding.ASCII.GetString(buffer, 0, end + 2);
            }
        }
        throw new IOException($"handshake head longer than {MaxHead} bytes");
    }
}
