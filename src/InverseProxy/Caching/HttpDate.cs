using System.Globalization;

namespace InverseProxy.Caching;

/// <summary>HTTP-date parsing (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms.</summary>
internal static class HttpDate
{
    private static readonly string[] s_formats =
    {
        "ddd, dd MMM yyyy HH:mm:ss 'GMT'",
        "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy",
    };

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }
        return DateTimeOffset.TryParseExact(
            text.Trim(),
            s_formats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);
    }

    /// <summary>
    /// As <see cref="TryParse"/>, but only text in exactly one of the three forms (RFC 9110 §5.6.7: case-sensitive,
    /// single spaces, asctime's day padded with a space) and with the right weekday. For Expires, where anything
    /// else means "already expired" (RFC 9111 §5.3).
    /// </summary>
    public static bool TryParseStrict(string? text, out DateTimeOffset value)
    {
        if (!TryParse(text, out value))
        {
            return false;
        }
        var culture = CultureInfo.InvariantCulture;
        string trimmed = text!.Trim();
        string asctime = value.ToString("ddd MMM ", culture) + value.Day.ToString(culture).PadLeft(2) + value.ToString(" HH:mm:ss yyyy", culture);
        return trimmed == value.ToString(s_formats[0], culture)
            || trimmed == value.ToString(s_formats[1], culture)
            || trimmed == asctime;
    }

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
}
