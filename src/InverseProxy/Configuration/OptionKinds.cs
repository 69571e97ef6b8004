using System.Globalization;
using System.Net;

namespace InverseProxy.Configuration;

/// <summary>Builds <see cref="OptionKey"/>s for each value syntax, so the key table stays one line per key.</summary>
internal static class OptionKinds
{
    public const string SizeExpectation = "a byte count like 64MB or 1048576";
    public const string DurationExpectation = "a duration like 30s, 500ms, 5m, 1h or 1d (a bare number is seconds)";

    public static OptionKey Count(string name, string summary, Func<ProxyOptions, int> get, Action<ProxyOptions, int> set)
    {
        return new(name, summary, o => get(o).ToString(CultureInfo.InvariantCulture), (o, raw, f) =>
        {
            if (ValueParsers.TryParseCount(raw, out var value))
            {
                set(o, value);
            }
            else
            {
                f.Invalid("a whole number like 100");
            }
        });
    }

    public static OptionKey Size(string name, string summary, Func<ProxyOptions, long> get, Action<ProxyOptions, long> set)
    {
        return new(name, summary, o => ValueParsers.FormatSize(get(o)), (o, raw, f) =>
        {
            if (ValueParsers.TryParseSize(raw, out var value))
            {
                set(o, value);
            }
            else
            {
                f.Invalid(SizeExpectation);
            }
        });
    }

    /// <summary>A size held in an int (the head limits); values past 2GB are refused as malformed.</summary>
    public static OptionKey SmallSize(string name, string summary, Func<ProxyOptions, int> get, Action<ProxyOptions, int> set)
    {
        return new(name, summary, o => ValueParsers.FormatSize(get(o)), (o, raw, f) =>
        {
            if (ValueParsers.TryParseSize(raw, out var value) && value <= int.MaxValue)
            {
                set(o, (int)value);
            }
            else
            {
                f.Invalid("a byte count like 32KB or 8192");
            }
        });
    }

    public static OptionKey Duration(string name, string summary, Func<ProxyOptions, TimeSpan> get, Action<ProxyOptions, TimeSpan> set)
    {
        return new(name, summary, o => ValueParsers.FormatDuration(get(o)), (o, raw, f) =>
        {
            if (ValueParsers.TryParseDuration(raw, out var value))
            {
                set(o, value);
            }
            else
            {
                f.Invalid(DurationExpectation);
            }
        });
    }

    public static OptionKey Flag(string name, string summary, Func<ProxyOptions, bool> get, Action<ProxyOptions, bool> set)
    {
        return new(name, summary, o => ValueParsers.FormatBool(get(o)), (o, raw, f) =>
        {
            if (ValueParsers.TryParseBool(raw, out var value))
            {
                set(o, value);
            }
            else
            {
                f.Invalid("true or false (also on/off, yes/no, 1/0)");
            }
        });
    }

    public static OptionKey Address(string name, string summary, Func<ProxyOptions, IPAddress> get, Action<ProxyOptions, IPAddress> set)
    {
        return new(name, summary, o => get(o).ToString(), (o, raw, f) =>
        {
            if (EndpointParsers.TryParseAddress(raw, out var value))
            {
                set(o, value);
            }
            else
            {
                f.Invalid("an IP address like 0.0.0.0, 127.0.0.1 or :: (or localhost)");
            }
        });
    }

    /// <summary>A value taken as written; the validator decides what is acceptable.</summary>
    public static OptionKey Text(string name, string summary, Func<ProxyOptions, string> get, Action<ProxyOptions, string> set)
    {
        return new(name, summary, get, (o, raw, _) => set(o, raw.Trim()));
    }

    /// <summary>One of a fixed set of words, matched case-insensitively and stored as listed.</summary>
    public static OptionKey Choice(string name, string summary, string[] choices, Func<ProxyOptions, string> get, Action<ProxyOptions, string> set)
    {
        return new(name, summary, get, (o, raw, f) =>
        {
            var match = Array.Find(choices, c => c.Equals(raw.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                set(o, match);
            }
            else
            {
                f.Invalid("one of " + string.Join(", ", choices));
            }
        });
    }
}
