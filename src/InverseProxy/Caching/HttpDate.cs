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

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);
}
