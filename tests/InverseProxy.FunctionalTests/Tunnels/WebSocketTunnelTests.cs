using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Tunnels;

public sealed class WebSocketTunnelTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ClientWebSocket_ThroughProxy_EchoesAndClientCloses()
    {
        using var origin = new WebSocketEchoOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var cts = new CancellationTokenSource(s_wait);
        using var ws = new ClientWebSocket();

        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/chat"), cts.Token);
        var text = await EchoAsync(ws, Encoding.UTF8.GetBytes("hello through the tunnel"), WebSocketMessageType.Text, cts.Token);
        var large = new byte[200_000];
        Random.Shared.NextBytes(large);
        var binary = await EchoAsync(ws, large, WebSocketMessageType.Binary, cts.Token);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);

        Assert.Equal("hello through the tunnel", Encoding.UTF8.GetString(text));
        Assert.Equal(large, binary);
        Assert.Equal(WebSocketState.Closed, ws.State);
        Assert.Contains("Upgrade: websocket", origin.LastHead, StringComparison.OrdinalIgnoreCase);
        Assert.True(Poll.Until(() => proxy.Server.Tunnels.Open == 0 && proxy.Server.Tunnels.Opened == 1, s_wait));
        Assert.True(proxy.Server.Tunnels.BytesUp > 200_000);
        Assert.True(proxy.Server.Tunnels.BytesDown > 200_000);
    }

    [Fact]
    public async Task ClientWebSocket_OriginCloses_ClientSeesClose()
    {
        using var origin = new WebSocketEchoOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var cts = new CancellationTokenSource(s_wait);
        using var ws = new ClientWebSocket();

        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/chat"), cts.Token);
        await ws.SendAsync(Encoding.UTF8.GetBytes(WebSocketEchoOrigin.CloseRequest), WebSocketMessageType.Text, true, cts.Token);
        var result = await ws.ReceiveAsync(new byte[1024], cts.Token);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal("origin closes", ws.CloseStatusDescription);
        await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", cts.Token);
        Assert.True(Poll.Until(() => proxy.Server.Tunnels.Open == 0 && proxy.Server.Tunnels.Opened == 1, s_wait));
    }

    [Fact]
    public async Task Upgrade_TwoThousandTunnelsAtOnce_EachEchoesItsOwnBytesAndPassesHalfClose()
    {
        const int tunnels = 2000;
        using var origin = new WebSocketEchoOrigin(rawEcho: true);
        using var proxy = ProxyInstance.Start(o => o.MaxConnections = tunnels + 100, origin.Port);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        using var connecting = new SemaphoreSlim(100);
        var allOpen = new TaskCompletionSource();
        int open = 0;

        var clients = Enumerable.Range(0, tunnels).Select(i => Task.Run(async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await connecting.WaitAsync(cts.Token);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, proxy.Port), cts.Token);
                await SendAsync(socket, "GET /raw HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", cts.Token);
                string head = await ReadHeadAsync(socket, cts.Token);
                Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
            }
            finally
            {
                connecting.Release();
            }
            if (Interlocked.Increment(ref open) == tunnels)
            {
                allOpen.SetResult();
            }
            await allOpen.Task.WaitAsync(cts.Token);
            byte[] mine = Encoding.ASCII.GetBytes($"tunnel {i:D5} says hello {new string((char)('a' + i % 26), 40)}");
            await SendAsync(socket, mine, cts.Token);
            byte[] echoed = await ReadExactlyAsync(socket, mine.Length, cts.Token);
            Assert.Equal(mine, echoed);
            socket.Shutdown(SocketShutdown.Send);
            // The origin's close after our half-close comes back through the proxy as end of stream.
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16], cts.Token));
        })).ToArray();

        await allOpen.Task.WaitAsync(cts.Token);
        long openAtPeak = proxy.Server.Tunnels.Open;
        await Task.WhenAll(clients);

        Assert.Equal(tunnels, openAtPeak);
        Assert.True(Poll.Until(() => proxy.Server.Tunnels.Open == 0, s_wait));
        Assert.Equal(tunnels, proxy.Server.Tunnels.Opened);
    }

    private static async Task<byte[]> EchoAsync(ClientWebSocket ws, byte[] message, WebSocketMessageType type, CancellationToken token)
    {
        await ws.SendAsync(message, type, true, token);
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, token);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        Assert.Equal(type, result.MessageType);
        return received.ToArray();
    }

    private static Task SendAsync(Socket socket, string text, CancellationToken token) => SendAsync(socket, Encoding.ASCII.GetBytes(text), token);

    private static async Task SendAsync(Socket socket, byte[] bytes, CancellationToken token)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), token);
        }
    }

    private static async Task<string> ReadHeadAsync(Socket socket, CancellationToken token)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await socket.ReceiveAsync(one, token));
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, CancellationToken token)
    {
        var bytes = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(bytes.AsMemory(read), token);
            Assert.NotEqual(0, n);
            read += n;
        }
        return bytes;
    }
}
