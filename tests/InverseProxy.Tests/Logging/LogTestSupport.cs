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

/// <summary>A fresh directory under the system temp directory, removed on dispose.</summary>
internal sealed class TempLogDirectory : IDisposable
{
    public TempLogDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ip-log-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The file's lines, read while the writer may still hold it open.</summary>
    public static string[] ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        return text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory fails nothing.
        }
    }
}
