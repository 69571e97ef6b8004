using System.Globalization;
using InverseProxy.Http;

namespace InverseProxy.Caching;

/// <summary>How a stored response answers a request's Range field (RFC 9110 §14).</summary>
internal enum RangeAnswer
{
    /// <summary>No usable Range, a failed If-Range, several ranges, or not a 200: the whole response.</summary>
    Whole,

    /// <summary>One satisfiable byte range: 206.</summary>
    Partial,

    /// <summary>One byte range past the end: 416.</summary>
    Unsatisfiable,
}

/// <summary>
/// Reads a request's Range and If-Range against a complete stored 200. Pure. A Range that does not parse is
/// ignored (§14.2), and several ranges get the whole response, which a server may always send instead.
/// </summary>
internal static class RangeRequest
{
    public static RangeAnswer Evaluate(HttpHeaders request, CachedResponse entry, out long start, out long length)
    {
        start = 0;
        length = entry.Body.Length;
        string? range = request.GetCombined("Range");
        if (range is null || entry.StatusCode != 200 || !IfRangeHolds(request.Get("If-Range"), entry))
        {
            return RangeAnswer.Whole;
        }
        range = range.Trim();
        if (!range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return RangeAnswer.Whole;
        }
        var specs = range["bytes=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (specs.Length != 1)
        {
            return RangeAnswer.Whole;
        }
        return Resolve(specs[0], entry.Body.Length, out start, out length);
    }

    // One range-spec (§14.1.2): first-pos "-" [last-pos], or "-" suffix-length.
    private static RangeAnswer Resolve(string spec, long size, out long start, out long length)
    {
        start = 0;
        length = size;
        int dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return RangeAnswer.Whole;
        }
        if (dash == 0)
        {
            if (!TryParseDigits(spec[1..], out long suffix))
            {
                return RangeAnswer.Whole;
            }
            if (suffix == 0 || size == 0)
            {
                return RangeAnswer.Unsatisfiable;
            }
            start = Math.Max(0, size - suffix);
            length = size - start;
            return RangeAnswer.Partial;
        }
        if (!TryParseDigits(spec[..dash], out long first))
        {
            return RangeAnswer.Whole;
        }
        long last = size - 1;
        if (dash + 1 < spec.Length)
        {
            if (!TryParseDigits(spec[(dash + 1)..], out last) || last < first)
            {
                return RangeAnswer.Whole;
            }
        }
        if (first >= size)
        {
            return RangeAnswer.Unsatisfiable;
        }
        start = first;
        length = Math.Min(last, size - 1) - first + 1;
        return RangeAnswer.Partial;
    }

    // §13.1.5: an entity tag must match strongly; a date must equal the stored Last-Modified exactly.
    private static bool IfRangeHolds(string? ifRange, CachedResponse entry)
    {
        if (ifRange is null)
        {
            return true;
        }
        ifRange = ifRange.Trim();
        if (ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal))
        {
            return entry.ETag is not null && ConditionalRequest.StrongMatch(ifRange, entry.ETag);
        }
        return HttpDate.TryParse(ifRange, out var date)
            && HttpDate.TryParse(entry.LastModified, out var lastModified)
            && date == lastModified;
    }

    private static bool TryParseDigits(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
