using System.Buffers;
using InverseProxy.Http;

namespace InverseProxy.Networking;

/// <summary>
/// The read buffer, response-head buffer and request head a connection thread lends to each connection it serves.
/// Allocated once per thread rather than per connection, so a burst of thousands of new connections allocates little
/// (and does not set off garbage collections, which must visit every thread's stack).
/// </summary>
internal sealed class ConnectionBuffers
{
    private const int HeadCapacity = 1024;
    private const int MaxKeptHeadCapacity = 16 * 1024;

    public byte[] Read { get; } = new byte[MessageReader.DefaultBufferSize];

    public ArrayBufferWriter<byte> Head { get; private set; } = new(HeadCapacity);

    /// <summary>The head the next request is parsed into (see <see cref="MessageReader.ReuseRequestHeads"/>).</summary>
    public RequestHead? Request { get; set; }

    /// <summary>After a connection: a head buffer grown for an unusually large head is not kept for the next one.</summary>
    public void Trim()
    {
        if (Head.Capacity > MaxKeptHeadCapacity)
        {
            Head = new ArrayBufferWriter<byte>(HeadCapacity);
        }
    }
}
