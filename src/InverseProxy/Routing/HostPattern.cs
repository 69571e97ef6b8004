using InverseProxy.Http;

namespace InverseProxy.Routing;

/// <summary>
/// One entry of a site's <c>hosts</c>: an exact name (or address literal), or <c>*.suffix</c>, which matches every
/// name ending in <c>.suffix</c> (not the suffix itself). Held in normal form (lower case, no trailing dot) to compare
/// with normalised authorities.
/// </summary>
internal readonly record struct HostPattern(string Text)
{
    public bool IsWildcard => Text.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>For a wildcard, what follows the label: ".example.com" for "*.example.com".</summary>
    public string Suffix => Text[1..];

    public static bool TryParse(string raw, out HostPattern pattern)
    {
        pattern = default;
        string text = raw.Trim();
        bool wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        string name = wildcard ? text[2..] : text;
        // A port or anything else an authority may not hold is refused by the same rules requests meet.
        if (name.Contains(':', StringComparison.Ordinal) && !name.StartsWith('['))
        {
            return false;
        }
        if (!Authority.TryNormalize(name, defaultPort: -1, out string normal, out int hostLength) || hostLength != normal.Length
            || (wildcard && normal.StartsWith('[')))
        {
            return false;
        }
        pattern = new HostPattern(wildcard ? "*." + normal : normal);
        return true;
    }

    public override string ToString() => Text;
}
