using System.Buffers;
using System.Net.Sockets;

namespace InverseProxy.Http;

/// <summary>
/// Blocking writes to one socket, with a reusable head buffer. Gathers head and body into one send where it can,
/// so a small response costs one syscall. Owned by a single thread.
/// </summary>
internal sealed class SocketWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n"u8.ToArray();

    private const int HeadCapacity = 1024;            // enough for a typical head
    private const int MaxKeptHeadCapacity = 16 * 1024; // a head buffer grown past this is not kept between connections

    private Socket _socket;
    private readonly byte[] _chunkHeader = new byte[20];

    public SocketWriter(Socket socket)
        : this(socket, new ArrayBufferWriter<byte>(HeadCapacity))
    {
    }

    /// <summary>A writer whose head buffer is lent by the caller (a connection thread reuses one across connections).</summary>
    public SocketWriter(Socket socket, ArrayBufferWriter<byte> head)
    {
        _socket = socket;
        head.ResetWrittenCount();
        Head = head;
    }

    /// <summary>A writer for a connection thread to keep: it writes nothing until <see cref="Rebind"/> gives it a socket.</summary>
    public static SocketWriter Unbound() => new(null!, new ArrayBufferWriter<byte>(HeadCapacity));

    /// <summary>Starts over on another socket (a connection thread keeps one writer for all its connections).</summary>
    public void Rebind(Socket socket)
    {
        _socket = socket;
        Head.ResetWrittenCount();
        BytesSent = 0;
    }

    /// <summary>Scratch buffer for the next head; cleared by <see cref="SendHead"/>.</summary>
    public ArrayBufferWriter<byte> Head { get; private set; }

    /// <summary>Between connections: a head buffer grown for an unusually large head is not kept.</summary>
    public void DropLargeHead()
    {
        if (Head.Capacity > MaxKeptHeadCapacity)
        {
            Head = new ArrayBufferWriter<byte>(HeadCapacity);
        }
    }

    /// <summary>Stamps Date on the responses written through this writer that lack one; set on a client's writer.</summary>
    public ResponseDate? Date { get; set; }

    /// <summary>Bytes written to the socket so far.</summary>
    public long BytesSent { get; private set; }

    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = BlockingSocketIo.Send(_socket, data, default, default);
            data = data[n..];
            BytesSent += n;
        }
    }

    /// <summary>Sends the buffered head, and <paramref name="body"/> with it in one gathered write.</summary>
    public void SendHead(ReadOnlyMemory<byte> body = default)
    {
        if (body.IsEmpty)
        {
            Send(Head.WrittenSpan);
        }
        else
        {
            SendGathered(Head.WrittenMemory, body, default);
        }
        Head.ResetWrittenCount();
    }

    /// <summary>Sends one chunk (size line, data, CRLF) of a chunked body.</summary>
    public void SendChunk(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        int n = FormatChunkHeader(data.Length);
        SendGathered(_chunkHeader.AsMemory(0, n), data, Crlf);
    }

    /// <summary>Ends a chunked body: last chunk, trailer fields, blank line (RFC 9112 §7.1).</summary>
    public void SendLastChunk(HttpHeaders? trailers)
    {
        Head.Write(LastChunk);
        if (trailers is not null)
        {
            foreach (var field in trailers)
            {
                WriteLatin1(Head, field.Name);
                Head.Write(": "u8);
                WriteLatin1(Head, field.Value);
                Head.Write(Crlf);
            }
        }
        Head.Write(Crlf);
        SendHead();
    }

    internal static void WriteLatin1(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        output.Advance(text.Length);
    }

    private int FormatChunkHeader(int size)
    {
        size.TryFormat(_chunkHeader, out int n, "X");
        _chunkHeader[n++] = (byte)'\r';
        _chunkHeader[n++] = (byte)'\n';
        return n;
    }

    /// <summary>Sends three pieces in order in one gathered write, then the rest of a partial write piece by piece.</summary>
    private void SendGathered(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, ReadOnlyMemory<byte> third)
    {
        long sent = BlockingSocketIo.Send(_socket, first.Span, second.Span, third.Span);
        BytesSent += sent;
        foreach (var piece in (ReadOnlySpan<ReadOnlyMemory<byte>>)[first, second, third])
        {
            if (sent >= piece.Length)
            {
                sent -= piece.Length;
                continue;
            }
            Send(piece.Span[(int)sent..]);
            sent = 0;
        }
    }
}
