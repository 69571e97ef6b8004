using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Upstream;

/// <summary>
/// The reader and writer of an upstream exchange belong to the thread carrying it, not to the connection: an idle
/// pooled connection holds only its socket. A connection thread keeps one pair (its session's <c>Upstream</c>) for
/// every target connection it rents or opens. At thousands of concurrent pass-through requests far more connections
/// are opened and closed than the pool keeps, and a fresh 32 KB read buffer with each refilled the young generation
/// every few hundred connections; each collection stopped every connection thread.
/// </summary>
internal sealed class UpstreamIo
{
    /// <summary>Enough for a response head and a small body behind it.</summary>
    public const int InitialReadSize = 8 * 1024;

    /// <summary>What a body streamed through is read with; the pair keeps its buffer once grown to it.</summary>
    public const int StreamingReadSize = 32 * 1024;

    private const int FieldCapacity = 16;

    private static int s_made;

    private bool _inUse; // owned by the thread holding the pair

    public UpstreamIo()
    {
        // The first response head is made here too: a spare thread made at start-up then allocates nothing for its
        // first pass-through request. When thousands of new clients each forwarded a first request at once, every
        // thread allocating its head made them contend for the allocator and stall both cores for over a second.
        var firstHead = new ResponseHead(HttpVersion.Http11, 200, "OK", new HttpHeaders(FieldCapacity));
        Reader = new MessageReader(null!, 0, new byte[InitialReadSize]) { ReuseResponseHeads = true, LastResponse = firstHead };
        Writer = SocketWriter.Unbound();
    }

    /// <summary>Which idle-pool stripe this thread's connections go back to and are looked for in first.</summary>
    public int Stripe { get; } = Interlocked.Increment(ref s_made) & int.MaxValue;

    public MessageReader Reader { get; }

    public SocketWriter Writer { get; }

    /// <summary>This pair bound to <paramref name="socket"/>, or a new one if it is bound to another connection still.</summary>
    public UpstreamIo Bind(Socket socket, int maxHeadBytes)
    {
        var io = _inUse ? new UpstreamIo() : this;
        io._inUse = true;
        io.Reader.Rebind(socket, maxHeadBytes, keepUpTo: StreamingReadSize);
        io.Writer.Rebind(socket);
        return io;
    }

    /// <summary>Frees the pair for the next connection. Bytes still buffered were read from a connection being closed.</summary>
    public void Release()
    {
        Writer.DropLargeHead();
        _inUse = false;
    }
}
