using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Upstream;

/// <summary>A connection to one target. Owned by one client thread while rented, by the pool while idle.</summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly int _maxHeadBytes;
    private UpstreamIo? _io; // the renting thread's reader and writer; null while idle in the pool

    /// <summary>A connection just opened, reading and writing through <paramref name="io"/>.</summary>
    public UpstreamConnection(UpstreamTarget target, Socket socket, int maxHeadBytes, UpstreamIo io)
    {
        Target = target;
        Socket = socket;
        _maxHeadBytes = maxHeadBytes;
        Bind(io);
    }

    public UpstreamTarget Target { get; }

    public Socket Socket { get; }

    /// <summary>Reads this connection's responses; only while rented.</summary>
    public MessageReader Reader => _io?.Reader ?? throw Idle();

    /// <summary>Writes this connection's requests; only while rented.</summary>
    public SocketWriter Writer => _io?.Writer ?? throw Idle();

    /// <summary>The pool stripe of the renting thread; returned there so that thread finds it again first.</summary>
    public int Stripe => _io?.Stripe ?? 0;

    /// <summary>True when nothing is buffered past the last response (an idle connection has nothing buffered).</summary>
    public bool InStep => _io is null || _io.Reader.BufferedCount == 0;

    /// <summary>On rent: reads and writes go through the renting thread's reader and writer.</summary>
    public void Bind(UpstreamIo io) => _io ??= io.Bind(Socket, _maxHeadBytes);

    /// <summary>On going idle or closing: the reader and writer go back to the thread.</summary>
    public void Unbind()
    {
        _io?.Release();
        _io = null;
    }

    /// <summary>How many requests this connection has carried; above 0 means it came from the pool.</summary>
    public int Uses { get; set; }

    /// <summary>
    /// Whether the target keeps this connection open after its last response, recorded when that response's head was
    /// read (its Connection field and version as the target sent them).
    /// </summary>
    public bool TargetKeepsOpen { get; set; }

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
            return InStep && !Socket.Poll(0, SelectMode.SelectRead);
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
        Unbind();
        try
        {
            Socket.Dispose();
        }
        catch (SocketException)
        {
            // Closing a socket the peer already reset is not an error worth reporting.
        }
    }

    private static InvalidOperationException Idle() => new("an idle pooled connection has no reader or writer");
}
