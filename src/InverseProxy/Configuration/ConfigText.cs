using System.Globalization;
using System.Text;

namespace InverseProxy.Configuration;

/// <summary>Makes user-supplied text safe to echo in a one-line error or a log.</summary>
internal static class ConfigText
{
    private const int MaxEchoLength = 200;

    /// <summary>Escapes control characters (C0, DEL, C1) so an echoed value cannot break a line or a terminal.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clipped = text.Length > MaxEchoLength ? text[..MaxEchoLength] : text;
        var builder = new StringBuilder(clipped.Length + 8);
        foreach (var c in clipped)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        if (clipped.Length < text.Length)
        {
            builder.Append("...");
        }

        return builder.ToString();
    }
}
