using System.Net.Sockets;

namespace InverseProxy.Http;

/// <summary>
/// Reads HTTP messages from one socket into one bounded buffer. Bytes received past a head stay buffered:
/// they belong to the body or to the next pipelined message (RFC 9112 §9.3.2).
/// Owned by a single thread (the connection's).
/// </summary>
internal sealed class MessageReader
{
    public const int DefaultBufferSize = 8 * 1024;

    private readonly byte[] _lent; // the buffer the reader started on, taken up again by Rebind
    private Socket _socket;
    private ITransport? _transport; // null: recv on _socket itself (see ITransport)
    private int _maxBufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private RequestHead? _lastRequest;
    private ResponseHead? _lastResponse;

    public MessageReader(Socket socket, int maxHeadBytes, int bufferSize = DefaultBufferSize)
        : this(socket, maxHeadBytes, new byte[bufferSize])
    {
    }

    /// <summary>
    /// A reader starting on a buffer lent by the caller (a connection thread reuses one across connections); the
    /// reader may move to a larger one of its own. Only bytes received on <paramref name="socket"/> are ever exposed.
    /// </summary>
    public MessageReader(Socket socket, int maxHeadBytes, byte[] buffer)
    {
        _socket = socket;
        _maxBufferSize = Math.Max(maxHeadBytes, buffer.Length) + 1;
        _buffer = buffer;
        _lent = buffer;
    }

    /// <summary>
    /// A reader for a connection thread to keep: it reads nothing until <see cref="Rebind"/> gives it a socket, and it
    /// refills <paramref name="firstHead"/> (then each head it returned last) for every request.
    /// </summary>
    public static MessageReader Unbound(byte[] buffer, RequestHead firstHead) =>
        new(null!, 0, buffer) { ReuseRequestHeads = true, LastRequest = firstHead };

    /// <summary>
    /// Starts over on another socket, back on the lent buffer, with nothing buffered: a connection thread keeps one
    /// reader for every connection it serves, so a new connection allocates none. <see cref="LastRequest"/> is kept
    /// (its strings are reused where the bytes repeat, never its values).
    /// </summary>
    public void Rebind(Socket socket, int maxHeadBytes) => Rebind(socket, maxHeadBytes, keepUpTo: 0);

    /// <summary>As <see cref="Rebind(Socket, int)"/>, reading through <paramref name="transport"/> (TLS) when it is not null.</summary>
    public void Rebind(Socket socket, ITransport? transport, int maxHeadBytes)
    {
        Rebind(socket, maxHeadBytes, keepUpTo: 0);
        _transport = transport;
    }

    /// <summary>As <see cref="Rebind(Socket, int)"/>, but a buffer grown to at most <paramref name="keepUpTo"/> bytes is kept.</summary>
    public void Rebind(Socket socket, int maxHeadBytes, int keepUpTo)
    {
        _transport = null;
        if (_buffer.Length > keepUpTo)
        {
            _buffer = _lent;
        }
        _socket = socket;
        _maxBufferSize = Math.Max(maxHeadBytes, _buffer.Length) + 1;
        _start = 0;
        _end = 0;
        IsEndOfStream = false;
        BytesReceived = 0;
    }

    public Socket Socket => _socket;

    /// <summary>
    /// When set, each <see cref="ReadRequestHead"/> refills and returns the head it returned last, so the caller
    /// must be done with a request before reading the next (a connection serving requests one at a time is).
    /// </summary>
    public bool ReuseRequestHeads { get; init; }

    /// <summary>
    /// With <see cref="ReuseRequestHeads"/>: the head the next read refills. Starts as one lent by the caller (a
    /// connection thread keeps one across connections) and is the last head read after that.
    /// </summary>
    public RequestHead? LastRequest
    {
        get => _lastRequest;
        init => _lastRequest = value;
    }

    /// <summary>
    /// When set, each <see cref="ReadResponseHead"/> refills and returns the head it returned last: the caller must
    /// be done with a response before reading the next (an upstream connection carries one exchange at a time, and
    /// nothing reads the response once the connection is released to the pool).
    /// </summary>
    public bool ReuseResponseHeads { get; init; }

    /// <summary>With <see cref="ReuseResponseHeads"/>: the head the next read refills; the caller may lend the first.</summary>
    public ResponseHead? LastResponse
    {
        get => _lastResponse;
        init => _lastResponse = value;
    }

    /// <summary>True once the peer has closed its sending side.</summary>
    public bool IsEndOfStream { get; private set; }

    public int BufferedCount => _end - _start;

    /// <summary>The size of the buffer read into, which grows for a large head or with <see cref="EnsureCapacity"/>.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Memory over the buffered bytes; valid until the next <see cref="Fill"/>.</summary>
    public ReadOnlyMemory<byte> BufferedMemory => _buffer.AsMemory(_start, _end - _start);

    /// <summary>Total bytes received on this socket.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Grows the buffer to at least <paramref name="size"/> bytes, for streaming a large body with fewer reads.</summary>
    public void EnsureCapacity(int size)
    {
        if (_buffer.Length >= size)
        {
            return;
        }
        var larger = new byte[size];
        Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
        _end -= _start;
        _start = 0;
        _buffer = larger;
    }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>
    /// Reads the next request head. Returns null when the peer closed cleanly before sending a byte of it.
    /// Throws <see cref="HttpParseException"/> for malformed input and <see cref="IOException"/> for a torn head.
    /// With <paramref name="time"/>, the whole head must arrive within <paramref name="headTimeout"/> of its first
    /// byte (a <see cref="SocketException"/> TimedOut otherwise): a client trickling a byte now and then cannot hold
    /// its connection by resetting a per-read timeout.
    /// </summary>
    public RequestHead? ReadRequestHead(in HttpLimits limits, TimeProvider? time = null, TimeSpan headTimeout = default)
    {
        long started = 0;
        int idleTimeout = 0;
        try
        {
            while (true)
            {
                if (BufferedCount > 0 && HttpHeadParser.TryParseRequest(Buffered, limits, ReuseRequestHeads ? _lastRequest : null, out var head, out int consumed))
                {
                    Consume(consumed);
                    if (ReuseRequestHeads)
                    {
                        _lastRequest = head;
                    }
                    return head;
                }
                if (time is not null && BufferedCount > 0)
                {
                    if (started == 0)
                    {
                        // Only a head split across reads pays for the clock and the socket option calls.
                        started = time.GetTimestamp();
                        idleTimeout = _socket.ReceiveTimeout;
                    }
                    var left = headTimeout - time.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        throw new SocketException((int)SocketError.TimedOut);
                    }
                    _socket.ReceiveTimeout = (int)Math.Clamp(left.TotalMilliseconds, 1, int.MaxValue);
                }
                if (!FillForHead())
                {
                    return null;
                }
            }
        }
        finally
        {
            if (started != 0)
            {
                _socket.ReceiveTimeout = idleTimeout;
            }
        }
    }

    /// <summary>Receives more of a request head; false at a clean close before any byte of it.</summary>
    private bool FillForHead()
    {
        if (Fill() > 0)
        {
            return true;
        }
        if (BufferedCount == 0)
        {
            return false;
        }
        throw new IOException("connection closed in the middle of a request head");
    }

    /// <summary>Reads the next response head; throws <see cref="IOException"/> if the peer closes first.</summary>
    public ResponseHead ReadResponseHead(in HttpLimits limits)
    {
        while (true)
        {
            if (BufferedCount > 0 && HttpHeadParser.TryParseResponse(Buffered, limits, ReuseResponseHeads ? _lastResponse : null, out var head, out int consumed))
            {
                Consume(consumed);
                if (ReuseResponseHeads)
                {
                    _lastResponse = head;
                }
                return head!;
            }
            if (Fill() == 0)
            {
                throw new EndOfStreamException(BufferedCount == 0
                    ? "target closed the connection before responding"
                    : "target closed the connection in the middle of a response head");
            }
        }
    }

    /// <summary>
    /// Receives more bytes after the buffered ones, compacting or growing the buffer up to its bound.
    /// Returns the count received; 0 means end of stream.
    /// </summary>
    public int Fill()
    {
        if (IsEndOfStream)
        {
            return 0;
        }
        MakeRoom();
        int n = _transport is null
            ? BlockingSocketIo.Receive(_socket, _buffer.AsSpan(_end))
            : _transport.Receive(_buffer.AsSpan(_end));
        if (n == 0)
        {
            IsEndOfStream = true;
            return 0;
        }
        _end += n;
        BytesReceived += n;
        return n;
    }

    private void MakeRoom()
    {
        if (_end < _buffer.Length)
        {
            return;
        }
        int live = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
            _start = 0;
            _end = live;
            if (_end < _buffer.Length)
            {
                return;
            }
        }
        // Only an incomplete head can fill the buffer; the parser rejects it before it outgrows the limit.
        int size = Math.Min(_buffer.Length * 2, _maxBufferSize);
        if (size <= _buffer.Length)
        {
            throw new HttpParseException(HttpParseError.HeadTooLarge);
        }
        Array.Resize(ref _buffer, size);
    }
}
