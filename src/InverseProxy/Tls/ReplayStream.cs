using System.Net.Sockets;

namespace InverseProxy.Tls;

/// <summary>
/// The connection's stream for <see cref="System.Net.Security.SslStream"/>: first the bytes already read to find the
/// server name (<see cref="ClientHello"/>), then the socket, read and written synchronously (the socket stays in
/// blocking mode, with its own SO_RCVTIMEO and SO_SNDTIMEO).
/// </summary>
internal sealed class ReplayStream : Stream
{
    private readonly NetworkStream _inner;
    private byte[] _replay; // dropped once replayed: it is as large as a TLS record, and the connection may live long
    private int _replayStart;
    private int _replayEnd;

    public ReplayStream(Socket socket, byte[] replay, int count)
    {
        _inner = new NetworkStream(socket, ownsSocket: false);
        _replay = replay;
        _replayEnd = count;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_replayStart < _replayEnd)
        {
            int n = Math.Min(buffer.Length, _replayEnd - _replayStart);
            _replay.AsSpan(_replayStart, n).CopyTo(buffer);
            _replayStart += n;
            if (_replayStart == _replayEnd)
            {
                _replay = [];
                _replayStart = 0;
                _replayEnd = 0;
            }
            return n;
        }
        return _inner.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _inner.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
