using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Tls;

/// <summary>
/// A client connection's bytes through its <see cref="SslStream"/>, synchronously on the connection's thread. The
/// stream reads and writes the socket with its own SO_RCVTIMEO / SO_SNDTIMEO, so the reader's and writer's timeouts
/// hold as on a plain socket; a timeout surfaces as the <see cref="SocketException"/> they expect.
/// </summary>
internal sealed class TlsTransport : ITransport
{
    // Pieces that fit together go out as one TLS record (the largest is 16 KB, RFC 8446 §5.1): a small response is
    // then one record and one send, as one writev is on a plain socket.
    private const int MaxJoined = 16 * 1024;

    private readonly SslStream _stream;

    public TlsTransport(SslStream stream)
    {
        _stream = stream;
    }

    public int Receive(Span<byte> buffer)
    {
        try
        {
            return _stream.Read(buffer);
        }
        catch (IOException e) when (e.InnerException is SocketException socket)
        {
            throw socket;
        }
    }

    public int Send(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        int total = first.Length + second.Length + third.Length;
        try
        {
            if (second.IsEmpty && third.IsEmpty)
            {
                _stream.Write(first);
            }
            else if (total <= MaxJoined)
            {
                byte[] joined = ArrayPool<byte>.Shared.Rent(total);
                first.CopyTo(joined);
                second.CopyTo(joined.AsSpan(first.Length));
                third.CopyTo(joined.AsSpan(first.Length + second.Length));
                _stream.Write(joined, 0, total);
                ArrayPool<byte>.Shared.Return(joined);
            }
            else
            {
                _stream.Write(first);
                _stream.Write(second);
                _stream.Write(third);
            }
            _stream.Flush();
        }
        catch (IOException e) when (e.InnerException is SocketException socket)
        {
            throw socket;
        }
        return total;
    }
}
