using InverseProxy.Compression;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>The Vary field of a response (RFC 9110 §12.5.5), reduced to what keys need.</summary>
internal static class VaryFields
{
    /// <summary>
    /// The distinct varied header names, lower-cased and sorted; empty when the response does not vary.
    /// False for <c>Vary: *</c>, which no stored response can ever match (RFC 9111 §4.1).
    /// </summary>
    public static bool TryGetNames(HttpHeaders responseHeaders, out string[] names)
    {
        names = [];
        string? vary = responseHeaders.GetCombined("Vary");
        if (vary is null)
        {
            return true;
        }
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string part in vary.Split(','))
        {
            string name = part.Trim().ToLowerInvariant();
            if (name == "*")
            {
                return false;
            }
            if (name.Length > 0)
            {
                set.Add(name);
            }
        }
        names = [.. set];
        return true;
    }

    /// <summary>
    /// True when the request carries the same varied values as those a stored response was selected by; a value the
    /// proxy negotiated (see <see cref="CacheKey.NegotiatedMark"/>) matches a request that negotiates the same coding.
    /// </summary>
    public static bool Matches(string[] names, string?[] values, RequestHead request)
    {
        for (int i = 0; i < names.Length; i++)
        {
            bool same = values[i] is [CacheKey.NegotiatedMark, ..] negotiated
                ? negotiated.AsSpan(1).SequenceEqual(CompressionRules.Negotiate(request).Token())
                : string.Equals(CacheKey.VaryValue(request.Headers, names[i]), values[i], StringComparison.Ordinal);
            if (!same)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The coding the proxy negotiated for a stored variant; null when the variant was not negotiated by it.</summary>
    public static ContentCoding? Negotiated(string[] names, string?[] values)
    {
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] == "accept-encoding" && values[i] is [CacheKey.NegotiatedMark, ..] value
                && ContentCodings.TryParse(value.AsSpan(1), out var coding))
            {
                return coding;
            }
        }
        return null;
    }
}
