using System.Buffers;
using System.Text;

namespace InverseProxy.Http;

/// <summary>Serializes heads to wire bytes (ASCII/Latin-1, CRLF line ends, ending with the blank line).</summary>
/// <remarks>
/// Each head is measured, then written into one span from the writer: no intermediate strings. Names and
/// values that would break the framing (CR, LF, NUL) are refused rather than sent, whoever produced them.
/// </remarks>
internal static class HeadWriter
{
    private const int VersionLength = 8;

    /// <summary>Writes "METHOD target HTTP/1.1", the fields and the blank line. Upstream always speaks HTTP/1.1.</summary>
    public static void WriteRequestHead(RequestHead head, IBufferWriter<byte> output)
    {
        CheckText(head.Method, nameof(head.Method));
        CheckText(head.Target, nameof(head.Target));
        int length = head.Method.Length + 1 + head.Target.Length + 1 + VersionLength + 2 + MeasureFields(head.Headers) + 2;
        Span<byte> span = output.GetSpan(length);
        int pos = WriteText(head.Method, span);
        span[pos++] = HttpChars.Sp;
        pos += WriteText(head.Target, span[pos..]);
        span[pos++] = HttpChars.Sp;
        pos += WriteText("HTTP/1.1", span[pos..]);
        pos += WriteCrlf(span[pos..]);
        pos += WriteFields(head.Headers, span[pos..]);
        pos += WriteCrlf(span[pos..]);
        output.Advance(pos);
    }

    /// <summary>Writes the status line and headers. Ends with the blank line only if <paramref name="terminate"/>.</summary>
    public static void WriteResponseHead(HttpVersion version, int statusCode, string reason, HttpHeaders headers, IBufferWriter<byte> output, bool terminate = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        CheckText(reason, nameof(reason));
        int length = VersionLength + 5 + reason.Length + 2 + MeasureFields(headers) + (terminate ? 2 : 0);
        Span<byte> span = output.GetSpan(length);
        int pos = WriteText(version.ToText(), span);
        span[pos++] = HttpChars.Sp;
        span[pos++] = (byte)('0' + (statusCode / 100));
        span[pos++] = (byte)('0' + (statusCode / 10 % 10));
        span[pos++] = (byte)('0' + (statusCode % 10));
        // RFC 9112 §4: the SP before the reason-phrase is required even when the phrase is empty.
        span[pos++] = HttpChars.Sp;
        pos += WriteText(reason, span[pos..]);
        pos += WriteCrlf(span[pos..]);
        pos += WriteFields(headers, span[pos..]);
        if (terminate)
        {
            pos += WriteCrlf(span[pos..]);
        }
        output.Advance(pos);
    }

    /// <summary>Writes "Name: value\r\n" for every field (used for trailers too).</summary>
    internal static void WriteFields(HttpHeaders headers, IBufferWriter<byte> output)
    {
        Span<byte> span = output.GetSpan(MeasureFields(headers));
        output.Advance(WriteFields(headers, span));
    }

    private static int MeasureFields(HttpHeaders headers)
    {
        int length = 0;
        foreach (var field in headers)
        {
            CheckText(field.Name, field.Name);
            CheckText(field.Value, field.Name);
            length += field.Name.Length + 2 + field.Value.Length + 2;
        }
        return length;
    }

    private static int WriteFields(HttpHeaders headers, Span<byte> span)
    {
        int pos = 0;
        foreach (var field in headers)
        {
            pos += WriteText(field.Name, span[pos..]);
            span[pos++] = (byte)':';
            span[pos++] = HttpChars.Sp;
            pos += WriteText(field.Value, span[pos..]);
            pos += WriteCrlf(span[pos..]);
        }
        return pos;
    }

    /// <summary>Latin-1, the inverse of how the parser decodes field values; chars above U+00FF become '?'.</summary>
    private static int WriteText(string text, Span<byte> destination) => Encoding.Latin1.GetBytes(text, destination);

    private static int WriteCrlf(Span<byte> destination)
    {
        destination[0] = HttpChars.Cr;
        destination[1] = HttpChars.Lf;
        return 2;
    }

    private static void CheckText(string text, string what)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("CR, LF or NUL in " + what + ": " + HttpParseErrors.Escape(text));
        }
    }
}
