namespace InverseProxy.Compression;

/// <summary>The content codings this proxy applies to responses (RFC 9110 §8.4.1); identity = none.</summary>
internal enum ContentCoding
{
    Identity,
    Gzip,
    Brotli,
}

internal static class ContentCodings
{
    /// <summary>The token a Content-Encoding field and an Accept-Encoding member name the coding by.</summary>
    public static string Token(this ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Brotli => "br",
        _ => "identity",
    };

    public static bool TryParse(ReadOnlySpan<char> token, out ContentCoding coding)
    {
        coding = token switch
        {
            "gzip" => ContentCoding.Gzip,
            "br" => ContentCoding.Brotli,
            "identity" => ContentCoding.Identity,
            _ => (ContentCoding)(-1),
        };
        return coding >= ContentCoding.Identity;
    }
}
