using System.Net;
using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

internal static class UnusedPort
{
    /// <summary>A loopback port nothing listens on (bound once by the kernel's choice, then released).</summary>
    public static int Find()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>True if a TCP connect to 127.0.0.1:<paramref name="port"/> is refused.</summary>
    public static bool Refuses(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
