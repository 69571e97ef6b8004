using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>A request body as <see cref="StreamingOrigin"/> received it: counted and checked, never kept.</summary>
internal sealed record StreamedRequest(string Method, string Target, long BodyBytes, bool BodyIntact);

/// <summary>
/// An origin for very large bodies (ScriptedOrigin buffers them). A request body with Content-Length is read,
/// counted and checked against <see cref="BytePattern"/>, then answered with <c>received N intact|corrupt</c>;
/// <c>GET /bytes/N</c> is answered with N pattern bytes. Keep-alive, one thread per connection.
/// </summary>
internal sealed class StreamingOrigin : IDisposable
{
    private readonly Socket _listener;
    private readonly ConcurrentBag<Socket> _connections = new();
    private volatile bool _stopped;

    public StreamingOrigin()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = $"streaming-origin-{Port}" }.Start();
    }

    public int Port { get; }

    public ConcurrentQueue<StreamedRequest> Requests { get; } = new();

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
        foreach (var socket in _connections)
        {
            socket.Dispose();
        }
    }

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            try
            {
                var socket = _listener.Accept();
                _connections.Add(socket);
                new Thread(() => Serve(socket)) { IsBackground = true }.Start();
            }
            catch (Exception) when (_stopped)
            {
                return;
            }
            catch (SocketException)
            {
                // A failed accept is not the test's concern; keep listening.
            }
        }
    }

    private void Serve(Socket socket)
    {
        try
        {
            var reader = new BulkReader(socket);
            string? head;
            while (!_stopped && (head = reader.ReadHead()) is not null)
            {
                var parts = head[..head.IndexOf('\r')].Split(' ');
                long length = Math.Max(0, BulkReader.ContentLength(head));
                var (bytes, intact) = reader.ReadPatternBody(length);
                Requests.Enqueue(new StreamedRequest(parts[0], parts[1], bytes, intact));
                if (bytes < length)
                {
                    return;
                }
                Answer(socket, parts[1], bytes, intact);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The proxy closed the connection; that is its right.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static void Answer(Socket socket, string target, long received, bool intact)
    {
        if (target.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            long count = long.Parse(target["/bytes/".Length..]);
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {count}\r\nCache-Control: no-store\r\n\r\n"));
            BytePattern.Send(socket, count);
            return;
        }
        string body = $"received {received} {(intact ? "intact" : "corrupt")}";
        socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n\r\n{body}"));
    }
}
