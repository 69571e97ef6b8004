namespace InverseProxy.Http;

internal static partial class HttpHeadParser
{
    /// <summary>
    /// Parses a field section whose lines are already known to end in CRLF (the final blank line excluded).
    /// Counts Host fields on the way so request checks need no second scan. The field count was bounded while
    /// the lines were found.
    /// </summary>
    /// <param name="reuse">Fields to overwrite in place (the connection's previous request): a name or value whose
    /// bytes repeat at the same position keeps its string.</param>
    private static HttpHeaders ParseFields(ReadOnlySpan<byte> section, HttpHeaders? reuse, out int hostCount)
    {
        // One field per CRLF, plus room for the few a proxy adds (Via, X-Forwarded-*, cache fields) without regrowing.
        var headers = reuse ?? new HttpHeaders(section.Count(HttpChars.Cr) + 4);
        int previousCount = reuse?.Count ?? 0;
        int index = 0;
        hostCount = 0;
        while (!section.IsEmpty)
        {
            int cr = section.IndexOf(HttpChars.Cr);
            int lineLength = cr < 0 ? section.Length : cr;
            HttpHeader field = ParseField(section[..lineLength], index < previousCount ? headers[index] : default);
            if (string.Equals(field.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                hostCount++;
            }
            headers.SetAt(index++, field);
            section = section[Math.Min(section.Length, lineLength + 2)..];
        }
        headers.Truncate(index);
        return headers;
    }

    /// <summary>
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). Shared with the chunked trailer section.
    /// <paramref name="line"/> excludes the CRLF.
    /// </summary>
    internal static HttpHeader ParseField(ReadOnlySpan<byte> line) => ParseField(line, default);

    /// <param name="previous">The field at the same position in the previous message: its strings are kept when the
    /// bytes repeat.</param>
    private static HttpHeader ParseField(ReadOnlySpan<byte> line, HttpHeader previous)
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
        ReadOnlySpan<byte> nameBytes = line[..colon];
        string name = HttpChars.SameText(previous.Name, nameBytes) ? previous.Name : KnownStrings.HeaderName(nameBytes);
        return new HttpHeader(
            name, HttpChars.SameText(previous.Value, value) ? previous.Value : KnownStrings.HeaderValue(name, value));
    }
}
