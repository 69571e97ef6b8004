using System.Buffers;
using System.Text;

namespace InverseProxy.Logging;

/// <summary>Timestamps, numbers and the two escaping rules used by log lines.</summary>
internal sealed partial class LineBuffer
{
    private const int IsoUtcLength = 24;

    private static readonly byte[] s_hex = "0123456789ABCDEF"u8.ToArray();

    private static readonly string[] s_months =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    // Printable ASCII except '"' and '\': the bytes nginx writes to an access log unescaped.
    private static readonly SearchValues<char> s_plainHttp = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static readonly SearchValues<char> s_control = SearchValues.Create(
        "\0\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E\x0F" +
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F");

    /// <summary>Appends <c>2026-11-22T10:00:00.123Z</c>.</summary>
    public void AppendIsoUtc(DateTimeOffset time)
    {
        FormatIsoUtc(time, GetSpan(IsoUtcLength), out int written);
        _length += written;
    }

    /// <summary>Formats <c>2026-11-22T10:00:00.123Z</c> into <paramref name="destination"/> (24 bytes or more).</summary>
    public static void FormatIsoUtc(DateTimeOffset time, Span<byte> destination, out int written)
    {
        DateTime t = time.UtcDateTime;
        WriteDigits(destination[..4], t.Year);
        destination[4] = (byte)'-';
        WriteDigits(destination.Slice(5, 2), t.Month);
        destination[7] = (byte)'-';
        WriteDigits(destination.Slice(8, 2), t.Day);
        destination[10] = (byte)'T';
        WriteDigits(destination.Slice(11, 2), t.Hour);
        destination[13] = (byte)':';
        WriteDigits(destination.Slice(14, 2), t.Minute);
        destination[16] = (byte)':';
        WriteDigits(destination.Slice(17, 2), t.Second);
        destination[19] = (byte)'.';
        WriteDigits(destination.Slice(20, 3), t.Millisecond);
        destination[23] = (byte)'Z';
        written = IsoUtcLength;
    }

    /// <summary>Appends nginx's <c>$time_local</c>: <c>22/Nov/2026:10:00:00 +0000</c>.</summary>
    public void AppendCommonLogTime(DateTimeOffset time, TimeZoneInfo zone)
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(time, zone);
        DateTime t = local.DateTime;
        AppendDigits(t.Day, 2);
        Append((byte)'/');
        AppendAscii(s_months[t.Month - 1]);
        Append((byte)'/');
        AppendDigits(t.Year, 4);
        Append((byte)':');
        AppendClock(t);
        Append((byte)' ');
        int minutes = (int)local.Offset.TotalMinutes;
        Append(minutes < 0 ? (byte)'-' : (byte)'+');
        minutes = Math.Abs(minutes);
        AppendDigits(minutes / 60, 2);
        AppendDigits(minutes % 60, 2);
    }

    public void AppendInt64(long value) => AppendFormatted(value);

    /// <summary>Appends a non-negative quantity with one decimal, e.g. <c>3.2</c>.</summary>
    public void AppendTenths(double value)
    {
        long tenths = (long)Math.Round(Math.Max(value, 0) * 10, MidpointRounding.AwayFromZero);
        AppendInt64(tenths / 10);
        Append((byte)'.');
        Append((byte)('0' + (int)(tenths % 10)));
    }

    /// <summary>
    /// Appends request text the way nginx's access log does: printable ASCII as is; control bytes, DEL,
    /// '"', '\' and bytes 0x80-0xFF as <c>\xNN</c> (header text is decoded as Latin-1, so a char is a wire byte);
    /// anything wider as the <c>\xNN</c> of its UTF-8 bytes. A request can then never start a forged line.
    /// </summary>
    public void AppendHttpEscaped(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            int plain = text.IndexOfAnyExcept(s_plainHttp);
            if (plain < 0)
            {
                AppendAscii(text);
                return;
            }

            AppendAscii(text[..plain]);
            text = text[plain..];
            int consumed = AppendEscapedChar(text);
            text = text[consumed..];
        }
    }

    /// <summary>
    /// Appends message text as UTF-8 on one line: a line break (and the indentation after it, as in a stack trace)
    /// becomes <c> | </c>, every other control character <c>\xNN</c>.
    /// </summary>
    public void AppendMessage(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            int stop = text.IndexOfAny(s_control);
            if (stop < 0)
            {
                AppendUtf8(text);
                return;
            }

            AppendUtf8(text[..stop]);
            text = text[stop..];
            if (text[0] == '\r' || text[0] == '\n')
            {
                AppendAscii(" | ");
                text = text.TrimStart("\r\n \t");
            }
            else
            {
                AppendHexEscape(text[0]);
                text = text[1..];
            }
        }
    }

    private int AppendEscapedChar(ReadOnlySpan<char> text)
    {
        char c = text[0];
        if (c <= 0xFF)
        {
            AppendHexEscape(c);
            return 1;
        }

        int consumed = char.IsHighSurrogate(c) && text.Length > 1 && char.IsLowSurrogate(text[1]) ? 2 : 1;
        Span<byte> utf8 = stackalloc byte[8];
        int count = Encoding.UTF8.GetBytes(text[..consumed], utf8);
        foreach (byte b in utf8[..count])
        {
            AppendHexEscape(b);
        }

        return consumed;
    }

    private void AppendHexEscape(int value)
    {
        Ensure(4);
        _buffer[_length] = (byte)'\\';
        _buffer[_length + 1] = (byte)'x';
        _buffer[_length + 2] = s_hex[(value >> 4) & 0xF];
        _buffer[_length + 3] = s_hex[value & 0xF];
        _length += 4;
    }

    private void AppendClock(DateTime t)
    {
        AppendDigits(t.Hour, 2);
        Append((byte)':');
        AppendDigits(t.Minute, 2);
        Append((byte)':');
        AppendDigits(t.Second, 2);
    }

    private void AppendDigits(int value, int width)
    {
        WriteDigits(GetSpan(width)[..width], value);
        _length += width;
    }

    /// <summary>Fills the span with the value's last digits, zero-padded.</summary>
    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
