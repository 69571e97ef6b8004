using System.Net;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.Tests.Networking;

/// <summary>Two connected TCP sockets on 127.0.0.1, so readers and writers are tested against a real kernel socket.</summary>
internal sealed class LoopbackPair : IDisposable
{
    private const int TimeoutMs = 10_000;

    private LoopbackPair(Socket client, Socket server)
    {
        Client = client;
        Server = server;
    }

    /// <summary>The connecting side.</summary>
    public Socket Client { get; }

    /// <summary>The accepted side.</summary>
    public Socket Server { get; }

    public static LoopbackPair Open()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        server.NoDelay = true;
        foreach (var socket in new[] { client, server })
        {
            socket.ReceiveTimeout = TimeoutMs;
            socket.SendTimeout = TimeoutMs;
        }
        return new LoopbackPair(client, server);
    }

    public static void SendAll(Socket socket, string text) => SendAll(socket, Encoding.Latin1.GetBytes(text));

    public static void SendAll(Socket socket, byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        }
    }

    /// <summary>Reads until the peer closes its sending side (bounded by the receive timeout).</summary>
    public static byte[] ReceiveToEnd(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> bytes sent to <paramref name="socket"/> are in its receive buffer, so
    /// one read sees them all. Throws if they do not arrive within the timeout.
    /// </summary>
    public static void WaitForBytes(Socket socket, int count)
    {
        long deadline = Environment.TickCount64 + TimeoutMs;
        while (socket.Available < count)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"only {socket.Available} of {count} bytes arrived");
            }
            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
