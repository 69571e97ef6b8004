using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>
/// The stored head in wire form: <c>HTTP/1.1 {code} {reason}\r\n</c> then <c>Name: value\r\n</c> per field, Latin-1,
/// without the blank line that ends a head on the wire, so a writer can append its own fields before it.
/// <see cref="TryDecode"/> reads exactly what <see cref="Encode"/> writes and refuses anything else.
/// </summary>
internal static class StoredHeadCodec
{
    private const string StatusPrefix = "HTTP/1.1 ";

    public static byte[] Encode(int statusCode, string reason, HttpHeaders headers)
    {
        var text = new StringBuilder(256);
        text.Append(StatusPrefix).Append(statusCode).Append(' ').Append(reason).Append("\r\n");
        foreach (var field in headers)
        {
            text.Append(field.Name).Append(": ").Append(field.Value).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public static bool TryDecode(byte[] head, out int statusCode, out string reason, out HttpHeaders headers)
    {
        statusCode = 0;
        reason = "";
        headers = new HttpHeaders();
        string text = Encoding.Latin1.GetString(head);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return false;
        }
        string[] lines = text[..^2].Split("\r\n");
        if (!TryParseStatusLine(lines[0], out statusCode, out reason))
        {
            return false;
        }
        for (int i = 1; i < lines.Length; i++)
        {
            if (!TryParseField(lines[i], out var field))
            {
                return false;
            }
            headers.Add(field.Name, field.Value);
        }
        return true;
    }

    private static bool TryParseStatusLine(string line, out int statusCode, out string reason)
    {
        statusCode = 0;
        reason = "";
        if (line.Length < StatusPrefix.Length + 4 || !line.StartsWith(StatusPrefix, StringComparison.Ordinal)
            || line[StatusPrefix.Length + 3] != ' ')
        {
            return false;
        }
        for (int i = 0; i < 3; i++)
        {
            char c = line[StatusPrefix.Length + i];
            if (c < '0' || c > '9')
            {
                return false;
            }
            statusCode = (statusCode * 10) + (c - '0');
        }
        reason = line[(StatusPrefix.Length + 4)..];
        return statusCode >= 100 && !HasControl(reason);
    }

    private static bool TryParseField(string line, out HttpHeader field)
    {
        field = default;
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon + 1 >= line.Length || line[colon + 1] != ' ')
        {
            return false;
        }
        string name = line[..colon];
        string value = line[(colon + 2)..];
        foreach (char c in name)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }
        if (HasControl(value))
        {
            return false;
        }
        field = new HttpHeader(name, value);
        return true;
    }

    // RFC 9110 §5.6.2 tchar.
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    // Field values and reason phrases allow HTAB but no other control characters (RFC 9110 §5.5).
    private static bool HasControl(string value)
    {
        foreach (char c in value)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return true;
            }
        }
        return false;
    }
}
