using System.Net;
using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// Keeps a stopped origin's port bound but not listening: connections to it are refused, and no other test running
/// in parallel can be handed the same port and answer in the dead origin's place.
/// </summary>
internal static class DownedPort
{
    /// <summary>Binds <paramref name="port"/> (0 = a free one) without listening; dispose to release it.</summary>
    public static Socket Hold(int port = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    public static int Port(this Socket held) => ((IPEndPoint)held.LocalEndPoint!).Port;
}
