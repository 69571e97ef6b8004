using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// Reads an HTTP head, then counts and checks a <see cref="BytePattern"/> body straight out of a fixed buffer,
/// so a peer can take gigabytes without keeping them.
/// </summary>
internal sealed class BulkReader
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    public BulkReader(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>The head through its blank line, or null if the peer closed before sending any of it.</summary>
    public string? ReadHead()
    {
        var head = new StringBuilder();
        while (head.Length < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (_start == _end && !Refill())
            {
                return head.Length == 0 ? null : throw new IOException("peer closed inside a head");
            }
            head.Append((char)_buffer[_start++]);
        }
        return head.ToString();
    }

    /// <summary>Reads up to <paramref name="count"/> body bytes; returns how many arrived and whether all matched the pattern.</summary>
    public (long Bytes, bool Intact) ReadPatternBody(long count)
    {
        long at = 0;
        bool intact = true;
        while (at < count && (_start < _end || Refill()))
        {
            int take = (int)Math.Min(count - at, _end - _start);
            intact &= BytePattern.Matches(_buffer.AsSpan(_start, take), at);
            _start += take;
            at += take;
        }
        return (at, intact);
    }

    /// <summary>The Content-Length field of <paramref name="head"/>, or -1.</summary>
    public static long ContentLength(string head)
    {
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return long.Parse(line["Content-Length:".Length..].Trim());
            }
        }
        return -1;
    }

    private bool Refill()
    {
        _start = 0;
        _end = _socket.Receive(_buffer);
        return _end > 0;
    }
}
