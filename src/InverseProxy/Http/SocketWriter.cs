using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InverseProxy.Http;

/// <summary>
/// Blocking writes to one socket, with a reusable head buffer. Gathers head and body into one send where it can,
/// so a small response costs one syscall. Owned by a single thread.
/// </summary>
internal sealed class SocketWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly List<ArraySegment<byte>> _segments = new(4);
    private readonly byte[] _chunkHeader = new byte[20];

    public SocketWriter(Socket socket)
        : this(socket, new ArrayBufferWriter<byte>(1024))
    {
    }

    /// <summary>A writer whose head buffer is lent by the caller (a connection thread reuses one across connections).</summary>
    public SocketWriter(Socket socket, ArrayBufferWriter<byte> head)
    {
        _socket = socket;
        head.ResetWrittenCount();
        Head = head;
    }

    /// <summary>Scratch buffer for the next head; cleared by <see cref="SendHead"/>.</summary>
    public ArrayBufferWriter<byte> Head { get; }

    /// <summary>Bytes written to the socket so far.</summary>
    public long BytesSent { get; private set; }

    public void Send(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = _socket.Send(data, SocketFlags.None);
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
            _segments.Clear();
            _segments.Add(ToSegment(Head.WrittenMemory));
            _segments.Add(ToSegment(body));
            SendSegments();
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
        _segments.Clear();
        _segments.Add(new ArraySegment<byte>(_chunkHeader, 0, n));
        _segments.Add(ToSegment(data));
        _segments.Add(new ArraySegment<byte>(Crlf));
        SendSegments();
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

    private void SendSegments()
    {
        long total = 0;
        foreach (var s in _segments)
        {
            total += s.Count;
        }
        long sent = _socket.Send(_segments, SocketFlags.None);
        BytesSent += sent;
        if (sent < total)
        {
            SendRemainder(sent);
        }
    }

    private void SendRemainder(long alreadySent)
    {
        foreach (var segment in _segments)
        {
            if (alreadySent >= segment.Count)
            {
                alreadySent -= segment.Count;
                continue;
            }
            Send(segment.AsSpan((int)alreadySent));
            alreadySent = 0;
        }
    }

    private static ArraySegment<byte> ToSegment(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment : new ArraySegment<byte>(memory.ToArray());
}
