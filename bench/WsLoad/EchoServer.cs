using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace WsLoad;

// The origin of bench/websocket.sh for InverseProxy and nginx alike: each connection's messages come back unchanged.
internal static class EchoServer
{
    public static int Run(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(8192);
        Console.WriteLine($"echo on 127.0.0.1:{port}");
        while (true)
        {
            Socket client;
            try
            {
                client = listener.Accept();
            }
            catch (SocketException e)
            {
                // Out of file descriptors or a connection reset before accept: the origin keeps serving the others.
                Console.Error.WriteLine($"accept: {e.SocketErrorCode}");
                Thread.Sleep(100);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private static async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            if (!await Handshake.ServerAsync(stream, CancellationToken.None))
            {
                return;
            }
            using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            await EchoAsync(socket);
        }
        catch (Exception e) when (e is IOException or WebSocketException or SocketException or OperationCanceledException)
        {
            // The load client aborts tunnels it gave up on; nothing to report from the origin's side.
        }
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int filled = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                filled += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, filled), result.MessageType, endOfMessage: true, CancellationToken.None);
        }
    }
}
