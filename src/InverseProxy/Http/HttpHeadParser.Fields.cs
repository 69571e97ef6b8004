namespace InverseProxy.Http;

internal static partial class HttpHeadParser
{
    /// <summary>
    /// Parses a field section whose lines are already known to end in CRLF (the final blank line excluded).
    /// Counts Host fields on the way so request checks need no second scan. The field count was bounded while
    /// the lines were found.
    /// </summary>
    private static HttpHeaders ParseFields(ReadOnlySpan<byte> section, out int hostCount)
    {
        // One field per CRLF, plus room for the few a proxy adds (Via, X-Forwarded-*, cache fields) without regrowing.
        var headers = new HttpHeaders(section.Count(HttpChars.Cr) + 4);
        hostCount = 0;
        while (!section.IsEmpty)
        {
            int cr = section.IndexOf(HttpChars.Cr);
            int lineLength = cr < 0 ? section.Length : cr;
            HttpHeader field = ParseField(section[..lineLength]);
            if (string.Equals(field.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                hostCount++;
            }
            headers.Add(field.Name, field.Value);
            section = section[Math.Min(section.Length, lineLength + 2)..];
        }
        return headers;
    }

    /// <summary>
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). Shared with the chunked trailer section.
    /// <paramref name="line"/> excludes the CRLF.
    /// </summary>
    internal static HttpHeader ParseField(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && HttpChars.IsWhitespace(line[0]))
        {
            // RFC 9112 §5.2: obs-fold is refused outside message/http.
            throw new HttpParseException(HttpParseError.ObsoleteLineFolding, HttpParseErrors.Escape(line));
        }
        int colon = line.IndexOf((byte)':');
        // RFC 9112 §5.1: no whitespace between name and colon; such a field must be rejected with 400.
        if (colon <= 0 || !HttpChars.IsToken(line[..colon]))
        {
            throw new HttpParseException(HttpParseError.InvalidHeaderName, HttpParseErrors.Escape(line));
        }
        ReadOnlySpan<byte> value = HttpChars.TrimWhitespace(line[(colon + 1)..]);
        if (!HttpChars.IsValidFieldValue(value))
        {
            throw new HttpParseException(HttpParseError.InvalidHeaderValue, HttpParseErrors.Escape(line));
        }
        return new HttpHeader(KnownStrings.HeaderName(line[..colon]), KnownStrings.HeaderValue(value));
    }
}
