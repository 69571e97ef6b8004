using System.Buffers;
using System.Text;

namespace InverseProxy.Logging;

/// <summary>
/// Request text as it came off the wire. The head parser decodes field values as Latin-1, one char per byte
/// (RFC 9110 section 5.5: field values are octets), so a User-Agent sent as UTF-8 "ü" arrives as the two chars "Ã¼".
/// A log that shows text has to turn those bytes back into the characters they encode.
/// </summary>
internal static class WireText
{
    /// <summary>Longest text decoded on the stack; longer text rents a buffer.</summary>
    public const int StackLimit = 256;

    /// <summary>
    /// Whether <paramref name="text"/> holds wire bytes that need <see cref="DecodeUtf8"/>: some char is 0x80-0xFF
    /// and none is beyond 0xFF (such a string was not decoded from bytes and is already real text).
    /// </summary>
    public static bool NeedsDecoding(ReadOnlySpan<char> text) =>
        text.ContainsAnyExceptInRange('\0', '\x7F') && !text.ContainsAnyExceptInRange('\0', '\xFF');

    /// <summary>
    /// Decodes Latin-1-decoded wire text as UTF-8 into <paramref name="destination"/> (at least as long as the text):
    /// each valid UTF-8 sequence becomes its character; a byte that starts none stays the Latin-1 char it was, so
    /// nothing is lost and the result is always well-formed UTF-16 (no lone surrogate can come out).
    /// </summary>
    public static int DecodeUtf8(ReadOnlySpan<char> latin1, Span<char> destination)
    {
        byte[]? rented = null;
        Span<byte> bytes = latin1.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(latin1.Length));
        try
        {
            bytes = bytes[..Encoding.Latin1.GetBytes(latin1, bytes)];
            int written = 0;
            while (!bytes.IsEmpty)
            {
                if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed) == OperationStatus.Done)
                {
                    written += rune.EncodeToUtf16(destination[written..]);
                    bytes = bytes[consumed..];
                }
                else
                {
                    destination[written++] = (char)bytes[0];
                    bytes = bytes[1..];
                }
            }

            return written;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
