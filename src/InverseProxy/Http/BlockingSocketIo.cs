using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InverseProxy.Http;

/// <summary>
/// recv(2) and writev(2) straight on a blocking socket's descriptor, bounded by its SO_RCVTIMEO and SO_SNDTIMEO as
/// Socket.Receive and Socket.Send are. Two things the Socket calls cost: Socket.Send with a segment list allocates
/// on every call, and the first Receive or Send allocates the runtime's per-socket I/O context on the calling
/// thread, which on a connection thread takes a GC allocation quantum per new connection (see
/// <see cref="Networking.ConnectionBuffers"/>). Head and body also leave in one syscall with no copy into a joined
/// buffer. Linux only; elsewhere both calls fall back to the Socket calls.
/// </summary>
internal static unsafe partial class BlockingSocketIo
{
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EPipe = 32;
    private const int EConnAborted = 103;
    private const int EConnReset = 104;
    private const int ENotConn = 107;
    private const int ETimedOut = 110;

    private static readonly bool s_native = OperatingSystem.IsLinux();

    /// <summary>Bytes received, 0 at end of stream; throws <see cref="SocketException"/> (TimedOut when SO_RCVTIMEO ran out).</summary>
    public static int Receive(Socket socket, Span<byte> buffer)
    {
        if (!s_native)
        {
            return socket.Receive(buffer, SocketFlags.None);
        }
        using var descriptor = new Descriptor(socket);
        fixed (byte* start = buffer)
        {
            while (true)
            {
                nint received = Recv(descriptor.Fd, start, (nuint)buffer.Length, 0);
                if (received >= 0)
                {
                    return (int)received;
                }
                ThrowUnlessInterrupted();
            }
        }
    }

    /// <summary>Bytes written by one writev of the three spans in order (possibly fewer than asked); throws <see cref="SocketException"/>.</summary>
    public static int Send(Socket socket, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        if (!s_native)
        {
            return SendJoined(socket, first, second, third);
        }
        using var descriptor = new Descriptor(socket);
        fixed (byte* a = first, b = second, c = third)
        {
            IoVector* vectors = stackalloc IoVector[3];
            int count = 0;
            Add(vectors, ref count, a, first.Length);
            Add(vectors, ref count, b, second.Length);
            Add(vectors, ref count, c, third.Length);
            while (true)
            {
                nint written = Writev(descriptor.Fd, vectors, count);
                if (written >= 0)
                {
                    return (int)written;
                }
                ThrowUnlessInterrupted();
            }
        }
    }

    // Elsewhere: one Socket.Send of the pieces joined, so the caller's handling of a partial write stays the same.
    private static int SendJoined(Socket socket, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        if (second.IsEmpty && third.IsEmpty)
        {
            return socket.Send(first, SocketFlags.None);
        }
        byte[] joined = [.. first, .. second, .. third];
        return socket.Send(joined, SocketFlags.None);
    }

    private static void Add(IoVector* vectors, ref int count, byte* start, int length)
    {
        if (length > 0)
        {
            vectors[count++] = new IoVector { Base = start, Length = (nuint)length };
        }
    }

    private static void ThrowUnlessInterrupted()
    {
        int errno = Marshal.GetLastPInvokeError();
        if (errno != EIntr)
        {
            throw new SocketException((int)ToSocketError(errno));
        }
    }

    // EAGAIN on a blocking socket means its timeout ran out, which the Socket calls report as TimedOut too; the
    // rest as the runtime maps them.
    private static SocketError ToSocketError(int errno) => errno switch
    {
        EAgain or ETimedOut => SocketError.TimedOut,
        EPipe => SocketError.Shutdown,
        EConnAborted => SocketError.ConnectionAborted,
        EConnReset => SocketError.ConnectionReset,
        ENotConn => SocketError.NotConnected,
        _ => SocketError.SocketError,
    };

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    private static partial nint Writev(int fd, IoVector* vectors, int count);

    /// <summary>
    /// The socket's descriptor, held for one call: a Dispose on another thread then closes it only once the call has
    /// returned, so the number cannot be reused by another socket while the call still uses it.
    /// </summary>
    private readonly ref struct Descriptor
    {
        private readonly System.Runtime.InteropServices.SafeHandle _handle;
        private readonly bool _added;

        public Descriptor(Socket socket)
        {
            _handle = socket.SafeHandle;
            bool added = false;
            _handle.DangerousAddRef(ref added);
            _added = added;
            Fd = (int)_handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose()
        {
            if (_added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }
}
