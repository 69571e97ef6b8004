namespace InverseProxy.Compression;

/// <summary>
/// Content negotiation on Accept-Encoding (RFC 9110 §12.5.3), pure: which of br, gzip and identity a request gets.
/// </summary>
internal static class AcceptEncoding
{
    private const int Unlisted = -1;

    /// <summary>
    /// The coding for a request whose Accept-Encoding is <paramref name="value"/> (all its lines joined). No field
    /// means identity: RFC 9110 §12.5.3 allows any coding then, but a client that names none may not decode one.
    /// A coding is acceptable with a q-value above 0, by name or through <c>*</c>; <c>x-gzip</c> is gzip (§8.4.1.3).
    /// Of br and gzip the higher q-value wins, br on a tie (smaller bodies; hits cost the same either way); identity
    /// only when listed with a higher q-value than both. Members with a malformed q-value are ignored.
    /// </summary>
    public static ContentCoding Choose(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ContentCoding.Identity;
        }
        int br = Unlisted, gzip = Unlisted, identity = Unlisted, star = Unlisted;
        foreach (var range in value.AsSpan().Split(','))
        {
            var member = value.AsSpan()[range];
            int semicolon = member.IndexOf(';');
            var name = (semicolon < 0 ? member : member[..semicolon]).Trim();
            if (name.IsEmpty || !TryQuality(semicolon < 0 ? default : member[(semicolon + 1)..], out int q))
            {
                continue;
            }
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase))
            {
                br = Math.Max(br, q);
            }
            else if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = Math.Max(gzip, q);
            }
            else if (name.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                identity = Math.Max(identity, q);
            }
            else if (name is "*")
            {
                star = Math.Max(star, q);
            }
        }
        br = br == Unlisted ? star : br;
        gzip = gzip == Unlisted ? star : gzip;
        identity = identity == Unlisted ? star : identity;
        int best = Math.Max(br, gzip);
        if (best <= 0 || identity > best)
        {
            return ContentCoding.Identity;
        }
        return br >= gzip ? ContentCoding.Brotli : ContentCoding.Gzip;
    }

    /// <summary>
    /// The q-value among a member's parameters, in thousandths (RFC 9110 §12.4.2: "0" to "1", up to three decimals);
    /// 1000 when there is none. False when a q parameter is malformed.
    /// </summary>
    private static bool TryQuality(ReadOnlySpan<char> parameters, out int q)
    {
        q = 1000;
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            var rest = parameter.IsEmpty ? default : parameter[1..].TrimStart();
            if (parameter.IsEmpty || (parameter[0] | 0x20) != 'q' || rest.IsEmpty || rest[0] != '=')
            {
                continue;
            }
            return TryParseQValue(rest[1..].Trim(), out q);
        }
        return true;
    }

    private static bool TryParseQValue(ReadOnlySpan<char> text, out int q)
    {
        q = 0;
        if (text.IsEmpty || text[0] is not ('0' or '1') || text.Length > 5 || (text.Length > 1 && text[1] != '.'))
        {
            return false;
        }
        int whole = text[0] - '0';
        int fraction = 0, scale = 100;
        foreach (char c in text.Length > 2 ? text[2..] : default)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            fraction += (c - '0') * scale;
            scale /= 10;
        }
        q = whole * 1000 + fraction;
        return q <= 1000;
    }
}
