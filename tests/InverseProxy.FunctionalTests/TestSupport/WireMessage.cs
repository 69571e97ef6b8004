using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A deliberately small, independent HTTP/1.1 message reader for the test peers (not the proxy's parser, so the
/// tests do not check the proxy against itself). Reads one head, then a body by Content-Length, chunked or close.
/// </summary>
internal sealed class WireMessage
{
    public string StartLine { get; init; } = "";

    public List<KeyValuePair<string, string>> Headers { get; init; } = new();

    public byte[] Body { get; init; } = Array.Empty<byte>();

    public List<KeyValuePair<string, string>> Trailers { get; init; } = new();

    /// <summary>The head exactly as received, through the blank line.</summary>
    public string RawHead { get; init; } = "";

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public int CountOf(string name) => Headers.Count(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Buffered reads from a socket for the test peers.</summary>
internal sealed class WireReader
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public WireReader(Socket socket)
    {
        _socket = socket;
    }

    public bool HasBuffered => _end > _start;

    /// <summary>Reads a head; null if the peer closed before sending any byte of it.</summary>
    public (string raw, string startLine, List<KeyValuePair<string, string>> headers)? ReadHead()
    {
        var head = new MemoryStream();
        while (!EndsWithBlankLine(head))
        {
            int b = ReadByte();
            if (b < 0)
            {
                if (head.Length == 0)
                {
                    return null;
                }
                throw new IOException("peer closed inside a head");
            }
            head.WriteByte((byte)b);
        }
        string raw = Encoding.Latin1.GetString(head.ToArray());
        var lines = raw[..^4].Split("\r\n");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        return (raw, lines[0], headers);
    }

    /// <summary>Reads a body framed by the given headers; <paramref name="noBody"/> for HEAD/204/304 answers.</summary>
    public (byte[] body, List<KeyValuePair<string, string>> trailers) ReadBody(List<KeyValuePair<string, string>> headers, bool noBody, bool untilCloseIfUnframed)
    {
        var trailers = new List<KeyValuePair<string, string>>();
        if (noBody)
        {
            return (Array.Empty<byte>(), trailers);
        }
        string? te = headers.Where(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        string? cl = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        if (te is not null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return (ReadChunked(trailers), trailers);
        }
        if (cl is not null)
        {
            return (ReadExactly(long.Parse(cl)), trailers);
        }
        return (untilCloseIfUnframed ? ReadToEnd() : Array.Empty<byte>(), trailers);
    }

    public byte[] ReadExactly(long count)
    {
        var result = new byte[count];
        long at = 0;
        while (at < count)
        {
            if (_start == _end && !Refill())
            {
                throw new IOException($"peer closed after {at} of {count} body bytes");
            }
            int take = (int)Math.Min(count - at, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, (int)at, take);
            _start += take;
            at += take;
        }
        return result;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> body bytes straight out of the buffer without keeping them (for very large
    /// bodies); returns how many arrived before the peer closed and whether all were the <see cref="BytePattern"/>.
    /// </summary>
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

    private static bool EndsWithBlankLine(MemoryStream head)
    {
        if (head.Length < 4)
        {
            return false;
        }
        var b = head.GetBuffer();
        long n = head.Length;
        return b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private bool Refill()
    {
        _start = 0;
        _end = _socket.Receive(_buffer);
        return _end > 0;
    }

    public byte[] ReadToEnd()
    {
        var all = new MemoryStream();
        int b;
        while ((b = ReadByte()) >= 0)
        {
            all.WriteByte((byte)b);
        }
        return all.ToArray();
    }

    public string ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            int b = ReadByte();
            if (b < 0)
            {
                throw new IOException("peer closed inside a line");
            }
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }
            line.Append((char)b);
        }
    }

    /// <summary>Next byte, or -1 at end of stream.</summary>
    public int ReadByte()
    {
        if (_start == _end && !Refill())
        {
            return -1;
        }
        return _buffer[_start++];
    }

    private byte[] ReadChunked(List<KeyValuePair<string, string>> trailers)
    {
        var body = new MemoryStream();
        while (true)
        {
            string sizeLine = ReadLine();
            int semi = sizeLine.IndexOf(';');
            long size = Convert.ToInt64((semi < 0 ? sizeLine : sizeLine[..semi]).Trim(), 16);
            if (size == 0)
            {
                break;
            }
            body.Write(ReadExactly(size));
            ReadLine();
        }
        string trailer;
        while ((trailer = ReadLine()).Length > 0)
        {
            int colon = trailer.IndexOf(':');
            trailers.Add(new(trailer[..colon], trailer[(colon + 1)..].Trim()));
        }
        return body.ToArray();
    }
}
