using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace WsLoad;

// Opens every tunnel first (at most ConnectParallelism handshakes at a time), then runs the timed window, in which
// each tunnel sends a message, waits for its echo and checks it, again and again. A message whose echo does not come
// back within EchoTimeout, or whose tunnel breaks, is lost; that tunnel stops. Prints one WS_RESULT line.
internal static class LoadClient
{
    private const int ConnectParallelism = 128;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(10);

    private static readonly LatencyHistogram Latency = new();
    private static long s_messages;
    private static long s_lost;
    private static long s_corrupt;
    private static long s_handshakeFailed;
    private static string? s_firstError;

    public static int Run(LoadSettings settings)
    {
        ThreadPool.SetMinThreads(Math.Max(Environment.ProcessorCount, 8), Math.Max(Environment.ProcessorCount, 8));
        var opened = OpenAll(settings);
        long cpuBefore = CpuClock.Ticks(settings.CpuPids);
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(settings.Seconds);
        Task.WaitAll([.. opened.Select((socket, i) => Task.Run(() => DriveAsync(socket, i, settings.Size, clock, deadline)))]);
        double seconds = clock.Elapsed.TotalSeconds;
        long cpuTicks = CpuClock.Ticks(settings.CpuPids) - cpuBefore;
        Task.WaitAll([.. opened.Select(CloseAsync)]);

        long messages = Interlocked.Read(ref s_messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WS_RESULT tunnels={settings.Tunnels} open={opened.Count} handshake_failed={s_handshakeFailed} " +
            $"messages={messages} seconds={seconds:F3} mps={messages / seconds:F1} p50_ms={Latency.PercentileMs(0.50):F3} " +
            $"p99_ms={Latency.PercentileMs(0.99):F3} max_ms={Latency.MaxMs:F3} lost={s_lost} corrupt={s_corrupt} cpu_ticks={cpuTicks}"));
        if (s_firstError is not null)
        {
            Console.Error.WriteLine($"first error: {s_firstError}");
        }
        return s_handshakeFailed == 0 && s_lost == 0 && s_corrupt == 0 ? 0 : 1;
    }

    private static List<WebSocket> OpenAll(LoadSettings settings)
    {
        using var gate = new SemaphoreSlim(ConnectParallelism);
        var tasks = Enumerable.Range(0, settings.Tunnels).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await OpenAsync(settings, i);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref s_handshakeFailed);
                Interlocked.CompareExchange(ref s_firstError, $"tunnel {i}: {e.Message}", null);
                return null;
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        Task.WaitAll(tasks);
        return [.. tasks.Select(t => t.Result).OfType<WebSocket>()];
    }

    private static async Task<WebSocket> OpenAsync(LoadSettings settings, int index)
    {
        using var cancel = new CancellationTokenSource(ConnectTimeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (settings.Sources > 1)
            {
                // Each loopback source address has its own ephemeral port range (tens of thousands of tunnels).
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(1 + index % settings.Sources)]), 0));
            }
            await socket.ConnectAsync(settings.Url.Host, settings.Url.Port, cancel.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            await Handshake.ClientAsync(stream, settings.Url, cancel.Token);
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task DriveAsync(WebSocket socket, int tunnel, int size, Stopwatch clock, TimeSpan deadline)
    {
        var sent = new byte[size];
        var echo = new byte[size + 1];
        for (long sequence = 0; clock.Elapsed < deadline; sequence++)
        {
            MessageCodec.Fill(sent, tunnel, sequence);
            var started = clock.Elapsed;
            try
            {
                using var cancel = new CancellationTokenSource(EchoTimeout);
                await socket.SendAsync(sent, WebSocketMessageType.Binary, endOfMessage: true, cancel.Token);
                int filled = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(echo.AsMemory(filled), cancel.Token);
                    filled += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && filled < echo.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new IOException("tunnel closed by the far side");
                }
                Latency.Record(clock.Elapsed - started);
                Interlocked.Increment(ref s_messages);
                if (!result.EndOfMessage || !MessageCodec.Matches(echo.AsSpan(0, filled), sent))
                {
                    Interlocked.Increment(ref s_corrupt);
                    Interlocked.CompareExchange(ref s_firstError, $"tunnel {tunnel}: echo of message {sequence} differs", null);
                }
            }
            catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref s_lost);
                Interlocked.CompareExchange(ref s_firstError, $"tunnel {tunnel}, message {sequence}: {e.Message}", null);
                return;
            }
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancel.Token);
            }
        }
        catch (Exception e) when (e is IOException or WebSocketException or OperationCanceledException)
        {
            // Closing is not measured; a tunnel that does not close cleanly is dropped with the process.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
