using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// The listening half of a test origin: 127.0.0.1 on a port the kernel picks, one background thread per accepted
/// connection running <c>serve(socket, connectionId)</c>. The socket is closed when serve returns; a peer that closes
/// first ends serve quietly. Dispose stops accepting and closes every connection.
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly Socket _listener;
    private readonly ConcurrentBag<Socket> _connections = new();
    private readonly Action<Socket, int> _serve;
    private int _connectionCount;
    private volatile bool _stopped;

    public LoopbackListener(string name, Action<Socket, int> serve)
    {
        _serve = serve;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = $"{name}-{Port}" }.Start();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far; the id passed to serve is this count at accept time.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

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
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception) when (_stopped)
            {
                return;
            }
            catch (SocketException)
            {
                // A failed accept is not the test's concern; keep listening.
                continue;
            }
            _connections.Add(socket);
            int id = Interlocked.Increment(ref _connectionCount);
            new Thread(() => Serve(socket, id)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket socket, int connectionId)
    {
        try
        {
            _serve(socket, connectionId);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The proxy closed the connection, or the test is over; either is the peer's right.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
