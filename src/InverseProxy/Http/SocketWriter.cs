using System.Buffers;
using System.Net.Sockets;

namespace InverseProxy.Http;

/// <summary>
/// Blocking writes to one socket, with a reusable head buffer. Gathers head and body into one send where it can,
/// so a small response costs one syscall. A client's writer may also bound the whole of one response
/// (<see cref="StartResponse"/>): each write then waits at most the time left. Owned by a single thread.
/// </summary>
internal sealed class SocketWriter
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] LastChunk = "0\r\n"u8.ToArray();

    private const int HeadCapacity = 1024;            // enough for a typical head
    private const int MaxKeptHeadCapacity = 16 * 1024; // a head buffer grown past this is not kept between connections

    // A deadline shorter than this ahead of the socket's write timeout leaves that timeout alone: one setsockopt
    // per response is saved, and the deadline is overshot by at most this.
    private const int DeadlineSlackMs = 250;

    private Socket _socket;
    private ITransport? _transport;   // null: writev on _socket itself (see ITransport)
    private readonly byte[] _chunkHeader = new byte[20];
    private TimeProvider? _time;      // set with a deadline
    private long _limitTicks;         // the bound of one response, in _time's ticks; 0 = none
    private long _deadline;           // when the current response must be sent by; 0 = its first write not yet made
    private int _writeTimeoutMs;      // the socket's own write timeout, restored after a response
    private int _appliedTimeoutMs;    // the write timeout the socket has now

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
    public void Rebind(Socket socket) => Rebind(socket, null);

    /// <summary>As <see cref="Rebind(Socket)"/>, writing through <paramref name="transport"/> (TLS) when it is not null.</summary>
    public void Rebind(Socket socket, ITransport? transport)
    {
        _socket = socket;
        _transport = transport;
        Head.ResetWrittenCount();
        BytesSent = 0;
        _limitTicks = 0;
        _deadline = 0;
        DeadlinePassed = false;
    }

    /// <summary>
    /// Bounds the next response: all of it must be written within <paramref name="limit"/> of its first write
    /// (<see cref="TimeSpan.Zero"/> = no bound), each write waiting at most the time left, and never longer than
    /// <paramref name="writeTimeoutMs"/>, the socket's own write timeout. A write past the deadline throws
    /// <see cref="SocketException"/> (TimedOut) and sets <see cref="DeadlinePassed"/>.
    /// </summary>
    public void StartResponse(TimeProvider time, TimeSpan limit, int writeTimeoutMs)
    {
        RestoreWriteTimeout();
        _time = time;
        _limitTicks = limit <= TimeSpan.Zero ? 0 : (long)(limit.TotalSeconds * time.TimestampFrequency);
        _deadline = 0;
        _writeTimeoutMs = writeTimeoutMs;
        _appliedTimeoutMs = writeTimeoutMs;
        DeadlinePassed = false;
    }

    /// <summary>Ends the bound set by <see cref="StartResponse"/>; answers written after it are not bounded.</summary>
    public void EndResponse()
    {
        RestoreWriteTimeout();
        _limitTicks = 0;
    }

    /// <summary>True once a write of the current response failed because its deadline had passed.</summary>
    public bool DeadlinePassed { get; private set; }

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
            int n;
            try
            {
                BeforeWrite();
                n = _transport is null
                    ? BlockingSocketIo.Send(_socket, data, default, default)
                    : _transport.Send(data, default, default);
            }
            catch (SocketException e) when (IsPastDeadline(e))
            {
                throw;
            }
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
        long sent;
        try
        {
            BeforeWrite();
            sent = _transport is null
                ? BlockingSocketIo.Send(_socket, first.Span, second.Span, third.Span)
                : _transport.Send(first.Span, second.Span, third.Span);
        }
        catch (SocketException e) when (IsPastDeadline(e))
        {
            throw;
        }
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

    /// <summary>With a deadline: starts it on the response's first write, refuses a write after it, and shortens the
    /// socket's write timeout to the time left.</summary>
    private void BeforeWrite()
    {
        if (_limitTicks == 0)
        {
            return;
        }
        long now = _time!.GetTimestamp();
        if (_deadline == 0)
        {
            _deadline = now + _limitTicks;
        }
        long leftMs = (_deadline - now) * 1000 / _time.TimestampFrequency;
        if (leftMs <= 0)
        {
            DeadlinePassed = true;
            throw new SocketException((int)SocketError.TimedOut);
        }
        if (leftMs < _appliedTimeoutMs - DeadlineSlackMs)
        {
            _appliedTimeoutMs = (int)leftMs;
            _socket.SendTimeout = _appliedTimeoutMs;
        }
    }

    /// <summary>Exception filter: a write that timed out at or after the deadline marks it passed; never catches.</summary>
    private bool IsPastDeadline(SocketException e)
    {
        if (_limitTicks != 0 && _deadline != 0 && e.SocketErrorCode == SocketError.TimedOut
            && _time!.GetTimestamp() - _deadline >= -_time.TimestampFrequency * DeadlineSlackMs / 1000)
        {
            DeadlinePassed = true;
        }
        return false;
    }

    private void RestoreWriteTimeout()
    {
        if (_limitTicks != 0 && _appliedTimeoutMs != _writeTimeoutMs)
        {
            _appliedTimeoutMs = _writeTimeoutMs;
            try
            {
                _socket.SendTimeout = _writeTimeoutMs;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The connection is closing; nothing more is written to it.
            }
        }
    }
}
