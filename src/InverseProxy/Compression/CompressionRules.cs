using InverseProxy.Caching;
using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Compression;

/// <summary>
/// A site's <c>compression</c>, <c>compress_types</c> and <c>compress_min_size</c>, compiled with its snapshot:
/// which responses the proxy negotiates the coding of, and in which coding a request gets them.
/// </summary>
internal sealed class CompressionRules
{
    public static readonly CompressionRules Off = new(false, [], [], 0);

    private readonly bool _enabled;
    private readonly HashSet<string> _types; // "text/html", lower-case
    private readonly string[] _prefixes; // "text/" for "text/*"
    private readonly long _minSize;

    private CompressionRules(bool enabled, HashSet<string> types, string[] prefixes, long minSize)
    {
        _enabled = enabled;
        _types = types;
        _prefixes = prefixes;
        _minSize = minSize;
    }

    public static CompressionRules From(ProxyOptions options)
    {
        if (!options.Compression)
        {
            return Off;
        }
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var prefixes = new List<string>();
        foreach (string type in options.CompressTypes)
        {
            if (type.EndsWith("/*", StringComparison.Ordinal))
            {
                prefixes.Add(type[..^1].ToLowerInvariant());
            }
            else
            {
                types.Add(type);
            }
        }
        return new CompressionRules(true, types, [.. prefixes], options.CompressMinSize);
    }

    /// <summary>
    /// The coding <paramref name="request"/> gets for a response the proxy negotiates: identity for HEAD (no body
    /// is encoded for it) and for a Range request (the ranges name bytes of the target's representation), otherwise
    /// what Accept-Encoding prefers. Also what selects a stored variant, so equivalent requests share one entry.
    /// </summary>
    public static ContentCoding Negotiate(RequestHead request) =>
        request.IsHead || request.Headers.Contains("Range")
            ? ContentCoding.Identity
            : AcceptEncoding.Choose(request.Headers.GetCombined("Accept-Encoding"));

    /// <summary>
    /// The plan for <paramref name="response"/> to <paramref name="request"/>, or null when the proxy leaves it as
    /// it is: compression off, a HEAD request, a status without a content of its own (1xx, 204, 206, 304), a
    /// body already encoded or sent in a transfer coding other than chunked, <c>no-transform</c> on either side
    /// (RFC 9111 §5.2.1.6, §5.2.2.6), a type outside compress_types, or a declared length under compress_min_size.
    /// </summary>
    public CompressionPlan? Plan(RequestHead request, ResponseHead response)
    {
        var fields = response.Headers;
        if (!_enabled || request.IsHead || response.StatusCode is < 200 or 204 or 206 or 304
            || fields.Contains("Content-Encoding") || fields.Contains("Content-Range")
            || TransferCodings.OtherThanChunked(fields) is not null
            || !IsCompressibleType(fields.Get("Content-Type")) || IsSmall(fields.Get("Content-Length"))
            || NoTransform(fields) || NoTransform(request.Headers))
        {
            return null;
        }
        var coding = Negotiate(request);
        var headers = fields.Clone();
        CodingFields.Apply(headers, coding);
        return new CompressionPlan(coding, new ResponseHead(response.Version, response.StatusCode, response.Reason, headers));
    }

    private bool IsCompressibleType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        int semicolon = contentType.IndexOf(';');
        string type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        if (_types.Contains(type))
        {
            return true;
        }
        foreach (string prefix in _prefixes)
        {
            if (type.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && type.Length > prefix.Length)
            {
                return true;
            }
        }
        return false;
    }

    // A length not declared (chunked, close-delimited) is not known to be small.
    private bool IsSmall(string? contentLength) =>
        long.TryParse(contentLength, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length)
        && length < _minSize;

    private static bool NoTransform(HttpHeaders headers)
    {
        bool found = false;
        CacheControlParser.Parse(headers.GetCombined("Cache-Control"), ref found, static (ref bool f, string name, string? _) => f |= name == "no-transform");
        return found;
    }
}
