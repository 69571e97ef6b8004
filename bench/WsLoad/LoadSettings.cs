using System.Globalization;

namespace WsLoad;

internal sealed record LoadSettings(Uri Url, int Tunnels, int Seconds, int Size, int Sources, int[] CpuPids)
{
    public static LoadSettings Parse(string url, string tunnels, string seconds, string[] rest)
    {
        var uri = new Uri(url);
        if (uri.Scheme != "ws")
        {
            throw new FormatException($"URL must be ws://host:port/path (was '{url}')");
        }
        int size = rest.Length > 0 ? Positive("SIZE", rest[0]) : 1024;
        if (size < MessageCodec.HeaderBytes)
        {
            throw new FormatException($"SIZE must be at least {MessageCodec.HeaderBytes} bytes (was '{rest[0]}')");
        }
        int sources = rest.Length > 1 ? Positive("SOURCES", rest[1]) : 1;
        int[] pids = rest.Length > 2 && rest[2].Length > 0
            ? [.. rest[2].Split(',').Select(p => Positive("CPU_PIDS", p))]
            : [];
        return new LoadSettings(uri, Positive("TUNNELS", tunnels), Positive("SECONDS", seconds), size, Math.Min(sources, 254), pids);
    }

    private static int Positive(string name, string raw) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new FormatException($"{name} must be a positive integer (was '{raw}')");
}
