namespace InverseProxy.Tests.Logging;

/// <summary>A fixed clock with a chosen local time zone.</summary>
internal sealed class LogTestClock : TimeProvider
{
    public static readonly DateTimeOffset Fixed = new(2026, 11, 22, 10, 0, 0, 123, TimeSpan.Zero);

    private readonly TimeZoneInfo _zone;

    public LogTestClock(TimeZoneInfo? zone = null)
    {
        _zone = zone ?? TimeZoneInfo.Utc;
    }

    public DateTimeOffset Now { get; set; } = Fixed;

    public override TimeZoneInfo LocalTimeZone => _zone;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Log file contents for assertions.</summary>
internal static class LogFiles
{
    /// <summary>The file's lines, read while the writer may still hold it open.</summary>
    public static string[] ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        return text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
    }
}
