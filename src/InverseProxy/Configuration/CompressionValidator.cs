using InverseProxy.Http;

namespace InverseProxy.Configuration;

/// <summary>The checks of the compression keys, at top level and in a <c>[site:NAME]</c> section that sets them.</summary>
internal static class CompressionValidator
{
    public static readonly string[] Keys = ["compress_types", "compress_min_size"];

    /// <summary>Larger would let one setting turn compression off for every response; use compression = off for that.</summary>
    public const long MaxMinSize = 1024L * 1024 * 1024;

    public static void Check(OptionChecker check, ProxyOptions o)
    {
        foreach (string type in o.CompressTypes)
        {
            check.Item(IsMediaRange(type), "compress_types", type, "must be a media type like text/html or type/* like text/*");
        }
        check.That(o.CompressMinSize is >= 0 and <= MaxMinSize, "a size between 0 and 1GB", "compress_min_size");
    }

    // type "/" subtype, both tokens (RFC 9110 §8.3.1), or type "/*"; no parameters.
    private static bool IsMediaRange(string text)
    {
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }
        string type = text[..slash], subtype = text[(slash + 1)..];
        return HttpChars.IsToken(type) && type != "*" && (subtype == "*" || HttpChars.IsToken(subtype));
    }
}
