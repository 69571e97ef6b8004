using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// One origin listening on many loopback ports at once, answering every request with the port it came in on, so a
/// test can tell thousands of targets apart. Asynchronous: thousands of listeners cost no thread each.
/// </summary>
internal sealed class ManyPortOrigin : IDisposable
{
    private readonly List<Socket> _listeners = new();
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public ManyPortOrigin(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(64);
            _listeners.Add(listener);
            Ports.Add(((IPEndPoint)listener.LocalEndPoint!).Port);
            _ = AcceptLoop(listener);
        }
    }

    public List<int> Ports { get; } = new();

    public int RequestCount => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
    }

    private async Task AcceptLoop(Socket listener)
    {
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(_stop.Token);
                _ = Serve(connection, port);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    /// <summary>Keep-alive: each request head (no bodies are sent here) gets "port N".</summary>
    private async Task Serve(Socket connection, int port)
    {
        using (connection)
        {
            var buffer = new byte[8192];
            int filled = 0;
            byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {("port " + port).Length}\r\nCache-Control: no-store\r\n\r\nport {port}");
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
                    if (end >= 0)
                    {
                        Interlocked.Increment(ref _requests);
                        buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                        filled -= end + 4;
                        await connection.SendAsync(answer, SocketFlags.None, _stop.Token);
                        continue;
                    }
                    int n = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (n == 0 || filled + n == buffer.Length)
                    {
                        return;
                    }
                    filled += n;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The proxy closed the connection, or the origin stopped.
            }
        }
    }
}
