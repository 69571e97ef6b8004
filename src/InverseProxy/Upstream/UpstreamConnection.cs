using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Upstream;

/// <summary>A connection to one target. Owned by one client thread while rented, by the pool while idle.</summary>
internal sealed class UpstreamConnection : IDisposable
{
    public UpstreamConnection(UpstreamTarget target, Socket socket, int maxHeadBytes)
    {
        Target = target;
        Socket = socket;
        Reader = new MessageReader(socket, maxHeadBytes, 32 * 1024) { ReuseResponseHeads = true };
        Writer = new SocketWriter(socket);
    }

    public UpstreamTarget Target { get; }

    public Socket Socket { get; }

    public MessageReader Reader { get; }

    public SocketWriter Writer { get; }

    /// <summary>How many requests this connection has carried; above 0 means it came from the pool.</summary>
    public int Uses { get; set; }

    /// <summary>When the connection went back to the pool (UTC ticks).</summary>
    public long IdleSinceUtcTicks { get; set; }

    /// <summary>
    /// True if an idle pooled connection still looks usable: no bytes pending and not closed by the target.
    /// A readable socket with nothing to read means the target sent FIN.
    /// </summary>
    public bool LooksAlive()
    {
        try
        {
            return Reader.BufferedCount == 0 && !Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            Socket.Dispose();
        }
        catch (SocketException)
        {
            // Closing a socket the peer already reset is not an error worth reporting.
        }
    }
}
