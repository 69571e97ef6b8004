namespace InverseProxy.Logging;

/// <summary>The <c>access_log_format</c> setting.</summary>
internal enum AccessLogFormat
{
    /// <summary><c>text</c>: one readable line with timing, target and cache outcome.</summary>
    Text,

    /// <summary><c>combined</c>: exactly nginx's combined format, for existing log tooling.</summary>
    Combined,

    /// <summary><c>json</c>: one JSON object per line.</summary>
    Json,
}

internal static class AccessLogFormats
{
    /// <summary>Parses <c>text</c>, <c>combined</c> or <c>json</c>, ignoring case and surrounding blanks.</summary>
    public static bool TryParse(string? text, out AccessLogFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "text":
                format = AccessLogFormat.Text;
                return true;
            case "combined":
                format = AccessLogFormat.Combined;
                return true;
            case "json":
                format = AccessLogFormat.Json;
                return true;
            default:
                format = AccessLogFormat.Text;
                return false;
        }
    }

    /// <exception cref="FormatException">Names the key and the bad value.</exception>
    public static AccessLogFormat Parse(string? text) =>
        TryParse(text, out AccessLogFormat format)
            ? format
            : throw new FormatException($"access_log_format must be text, combined or json (was '{text}')");
}
