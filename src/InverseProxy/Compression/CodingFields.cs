using InverseProxy.Http;

namespace InverseProxy.Compression;

/// <summary>The fields of a response whose content coding the proxy negotiated.</summary>
internal static class CodingFields
{
    public const string VaryName = "Accept-Encoding";

    /// <summary>
    /// Edits <paramref name="headers"/> for a response sent in <paramref name="coding"/>: Vary lists Accept-Encoding
    /// (merged with what the target's Vary names, RFC 9110 §12.5.5), whatever the coding, as every variant depends
    /// on it. An encoded one also gets Content-Encoding, loses Content-Length (the encoded length is set by whoever
    /// sends or stores the body), and its entity tag is made weak: the bytes differ from the target's, so a strong
    /// tag would claim byte equality with them (RFC 9110 §8.8.1). Applied again after a 304 replaced the fields.
    /// </summary>
    public static void Apply(HttpHeaders headers, ContentCoding coding)
    {
        AddVary(headers);
        if (coding == ContentCoding.Identity)
        {
            return;
        }
        headers.Set("Content-Encoding", coding.Token());
        headers.Remove("Content-Length");
        if (headers.Get("ETag") is { } etag && Weaken(etag) is { } weak)
        {
            headers.Set("ETag", weak);
        }
    }

    /// <summary><c>W/"x"</c> for a strong <c>"x"</c>; null when the tag is already weak.</summary>
    public static string? Weaken(string etag)
    {
        string tag = etag.Trim();
        return tag.StartsWith("W/", StringComparison.Ordinal) ? null : "W/" + tag;
    }

    private static void AddVary(HttpHeaders headers)
    {
        string? vary = headers.GetCombined("Vary");
        if (vary is null)
        {
            headers.Add("Vary", VaryName);
            return;
        }
        foreach (var range in vary.AsSpan().Split(','))
        {
            var name = vary.AsSpan()[range].Trim();
            if (name.Equals(VaryName, StringComparison.OrdinalIgnoreCase) || name is "*")
            {
                return;
            }
        }
        headers.Set("Vary", vary + ", " + VaryName);
    }
}
