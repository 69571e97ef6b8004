using System.Globalization;

namespace InverseProxy.Configuration;

/// <summary>
/// The scalar value syntaxes of proxy.conf. Sizes: a whole number of bytes, optionally followed by
/// B, K/KB/KiB, M/MB/MiB, G/GB/GiB or T/TB/TiB (case-insensitive, all 1024-based). Durations: a whole
/// number followed by ms, s, m, h or d; a bare number is seconds. Booleans: true/false, on/off, yes/no, 1/0.
/// </summary>
internal static class ValueParsers
{
    private const long Kibi = 1024;
    private static readonly long MaxDurationMs = TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMillisecond;

    public static bool TryParseCount(string text, out int value)
    {
        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (!TrySplit(text, out var number, out var unit))
        {
            return false;
        }

        long multiplier = unit switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => Kibi,
            "m" or "mb" or "mib" => Kibi * Kibi,
            "g" or "gb" or "gib" => Kibi * Kibi * Kibi,
            "t" or "tb" or "tib" => Kibi * Kibi * Kibi * Kibi,
            _ => 0,
        };
        if (multiplier == 0 || number > long.MaxValue / multiplier)
        {
            return false;
        }

        bytes = number * multiplier;
        return true;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (!TrySplit(text, out var number, out var unit))
        {
            return false;
        }

        long msPerUnit = unit switch
        {
            "ms" => 1,
            "" or "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => 0,
        };
        if (msPerUnit == 0 || number > MaxDurationMs / msPerUnit)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(number * msPerUnit);
        return true;
    }

    public static bool TryParseBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "on" or "yes" or "1":
                value = true;
                return true;
            case "false" or "off" or "no" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>The largest exact unit: 67108864 -> "64MB", 1000 -> "1000".</summary>
    public static string FormatSize(long bytes)
    {
        (long Factor, string Suffix)[] units = [(Kibi * Kibi * Kibi, "GB"), (Kibi * Kibi, "MB"), (Kibi, "KB")];
        foreach (var (factor, suffix) in units)
        {
            if (bytes != 0 && bytes % factor == 0)
            {
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The largest exact unit: 86400s -> "1d", 1.5s -> "1500ms", zero -> "0s".</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        (long Factor, string Suffix)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s")];
        foreach (var (factor, suffix) in units)
        {
            if (ms != 0 && ms % factor == 0)
            {
                return (ms / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return ms == 0 ? "0s" : ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }

    public static string FormatBool(bool value) => value ? "true" : "false";

    /// <summary>Splits "64 MB" into 64 and "mb"; no sign, no fraction, no exponent.</summary>
    private static bool TrySplit(string text, out long number, out string unit)
    {
        var trimmed = text.Trim();
        var digits = 0;
        while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
        {
            digits++;
        }

        unit = trimmed[digits..].TrimStart().ToLowerInvariant();
        return long.TryParse(trimmed.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
