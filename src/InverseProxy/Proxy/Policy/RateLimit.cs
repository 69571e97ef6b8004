using System.Globalization;

namespace InverseProxy.Proxy.Policy;

/// <summary>A <c>rate_limit</c> value: <c>off</c>, or a count per second or per minute (<c>100/s</c>, <c>600/m</c>).</summary>
internal readonly record struct RateLimit(int Count, char Unit)
{
    public const string Expectation = "off, or requests per second or minute like 100/s or 600/m";

    public static readonly RateLimit Off = default;

    public bool IsOff => Count == 0;

    /// <summary>Tokens added per second.</summary>
    public double PerSecond => Unit == 'm' ? Count / 60.0 : Count;

    public static bool TryParse(string text, out RateLimit limit)
    {
        limit = Off;
        text = text.Trim();
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase) || text.Length == 0)
        {
            return true;
        }
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash != text.Length - 2 || text[^1] is not ('s' or 'm' or 'S' or 'M')
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count <= 0)
        {
            return false;
        }
        limit = new RateLimit(count, char.ToLowerInvariant(text[^1]));
        return true;
    }

    public override string ToString() => IsOff ? "off" : string.Create(CultureInfo.InvariantCulture, $"{Count}/{Unit}");
}
