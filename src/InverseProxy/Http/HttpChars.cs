using System.Buffers;

namespace InverseProxy.Http;

/// <summary>Byte classes from RFC 9110 §5.6.2 (token), §5.5 (field values) and RFC 9112 §3.2 (request-target).</summary>
internal static class HttpChars
{
    public const byte Cr = (byte)'\r';
    public const byte Lf = (byte)'\n';
    public const byte Sp = (byte)' ';
    public const byte Htab = (byte)'\t';

    private static readonly SearchValues<byte> s_tokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // field-value = *( VCHAR / SP / HTAB / obs-text ): every CTL except HTAB, and DEL, is refused.
    private static readonly SearchValues<byte> s_invalidFieldValueBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    public static bool IsTokenChar(byte b) => s_tokenChars.Contains(b);

    public static bool IsToken(ReadOnlySpan<byte> span) => !span.IsEmpty && span.IndexOfAnyExcept(s_tokenChars) < 0;

    public static bool IsToken(ReadOnlySpan<char> span)
    {
        foreach (char c in span)
        {
            if (c > 0x7F || !s_tokenChars.Contains((byte)c))
            {
                return false;
            }
        }
        return !span.IsEmpty;
    }

    public static bool IsValidFieldValue(ReadOnlySpan<byte> span) => span.IndexOfAny(s_invalidFieldValueBytes) < 0;

    /// <summary>Request-targets are visible ASCII only: no SP, CTL, DEL or obs-text.</summary>
    public static bool IsValidTargetBytes(ReadOnlySpan<byte> span) => span.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0;

    public static bool IsWhitespace(byte b) => b is Sp or Htab;

    /// <summary>Whether <paramref name="text"/> is exactly <paramref name="bytes"/> read as Latin-1.</summary>
    public static bool SameText(string? text, ReadOnlySpan<byte> bytes)
    {
        if (text is null || text.Length != bytes.Length)
        {
            return false;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            if (text[i] != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = 0;
        int end = span.Length;
        while (start < end && IsWhitespace(span[start]))
        {
            start++;
        }
        while (end > start && IsWhitespace(span[end - 1]))
        {
            end--;
        }
        return span[start..end];
    }

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
