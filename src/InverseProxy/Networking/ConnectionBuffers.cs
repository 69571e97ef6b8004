using System.Net;
using System.Net.Sockets;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Proxy;

namespace InverseProxy.Networking;

/// <summary>
/// What a connection thread keeps for every connection it serves: the read buffer, response-head buffer, request
/// head, reader, writer, session and outcome, bound to each new connection in turn. A connection thread then
/// allocates nothing for a new connection or its cache hits: everything per connection is made by the accept loop.
/// That matters more than the bytes: each thread that allocates at all takes a fresh allocation quantum from the GC
/// (8 KB), so a burst of 9,000 new connections allocating a few objects each would use up the young generation many
/// times over, and every collection stops all 9,000 threads to walk their stacks.
/// </summary>
internal sealed class ConnectionBuffers
{
    private const int FieldCapacity = 24;

    private static readonly ClientPeer Unbound = new(new IPEndPoint(IPAddress.None, 0));

    public ConnectionBuffers()
    {
        Read = new byte[MessageReader.DefaultBufferSize];
        var firstHead = new RequestHead("GET", "/", Http.HttpVersion.Http11, new HttpHeaders(FieldCapacity));
        Reader = MessageReader.Unbound(Read, firstHead);
        Writer = SocketWriter.Unbound();
        Session = new ClientSession(Reader, Writer, 0, Unbound);
        // The access log formats each line in a per-thread buffer: take it now rather than in the first request.
        LineBuffer.Acquire().Release();
    }

    public byte[] Read { get; }

    public MessageReader Reader { get; }

    public SocketWriter Writer { get; }

    public ClientSession Session { get; }

    public RequestOutcome Outcome { get; } = new();

    /// <summary>The thread's scheduling class, which follows the size of the answers it sends.</summary>
    public ConnectionThreadPolicy Scheduling { get; } = new();

    /// <summary>Binds the reader, writer and session to a new connection.</summary>
    public ClientSession Bind(Socket socket, long id, ClientPeer peer, int maxHeadBytes) => Bind(socket, null, id, peer, maxHeadBytes);

    /// <summary>As <see cref="Bind(Socket, long, ClientPeer, int)"/>, reading and writing through <paramref name="tls"/> when it is not null.</summary>
    public ClientSession Bind(Socket socket, Tls.TlsSession? tls, long id, ClientPeer peer, int maxHeadBytes)
    {
        Reader.Rebind(socket, tls?.Transport, maxHeadBytes);
        Writer.Rebind(socket, tls?.Transport);
        Session.Rebind(id, peer, tls);
        return Session;
    }

    /// <summary>After a connection: a head buffer grown for an unusually large head is not kept for the next one.</summary>
    public void Trim() => Writer.DropLargeHead();
}
