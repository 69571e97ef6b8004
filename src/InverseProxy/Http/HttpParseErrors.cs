namespace InverseProxy.Http;

/// <summary>The one mapping from <see cref="HttpParseError"/> to a status, plus texts for error responses.</summary>
internal static class HttpParseErrors
{
    private const int MaxEscapedChars = 64;

    public static int ToStatusCode(this HttpParseError error) => error switch
    {
        HttpParseError.RequestLineTooLong => 414,
        HttpParseError.HeadTooLarge => 431,
        HttpParseError.TooManyHeaders => 431,
        HttpParseError.TrailersTooLarge => 431,
        HttpParseError.BodyTooLarge => 413,
        HttpParseError.BodyTooSlow => 408,
        HttpParseError.UnsupportedVersion => 505,
        HttpParseError.UnknownTransferCoding => 501,
        HttpParseError.MethodTooLong => 501,
        _ => 400,
    };

    public static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    };

    /// <summary>
    /// Renders wire bytes for an error message or log line: printable ASCII as is, anything else
    /// (and the backslash) as \xNN, so a hostile request cannot forge log lines. Capped at 64 chars.
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        Span<char> buffer = stackalloc char[MaxEscapedChars + 3];
        int n = 0;
        int i = 0;
        for (; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            bool plain = b is >= 0x20 and < 0x7F && b != (byte)'\\';
            int needed = plain ? 1 : 4;
            if (n + needed > MaxEscapedChars)
            {
                break;
            }
            if (plain)
            {
                buffer[n++] = (char)b;
            }
            else
            {
                buffer[n++] = '\\';
                buffer[n++] = 'x';
                buffer[n++] = HexDigit(b >> 4);
                buffer[n++] = HexDigit(b & 0xF);
            }
        }
        if (i < bytes.Length)
        {
            buffer[n++] = '.';
            buffer[n++] = '.';
            buffer[n++] = '.';
        }
        return new string(buffer[..n]);
    }

    /// <summary>As <see cref="Escape(ReadOnlySpan{byte})"/>, for a Latin-1 decoded field value.</summary>
    public static string Escape(ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[MaxEscapedChars + 1];
        int n = Math.Min(text.Length, bytes.Length);
        for (int i = 0; i < n; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : (byte)'?';
        }
        return Escape(bytes[..n]);
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);
}
