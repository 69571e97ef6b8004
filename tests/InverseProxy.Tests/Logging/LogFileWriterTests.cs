using InverseProxy.Logging;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Logging;

public sealed class LogFileWriterTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryWriteLine_AfterFlush_LinesAreInTheFile()
    {
        string path = _dir.Combine("proxy.log");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock());

        Assert.True(writer.TryWriteLine("first"));
        Assert.True(writer.TryWriteLine("second é"u8));
        Assert.True(writer.Flush(s_wait));

        Assert.Equal(["first", "second é"], LogFiles.ReadLines(path));
    }

    [Fact]
    public void Constructor_MissingDirectory_CreatesIt()
    {
        string path = Path.Combine(_dir.Path, "a", "b", "proxy.log");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock());

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Constructor_ExistingFile_Appends()
    {
        string path = _dir.Combine("proxy.log");
        File.WriteAllText(path, "old\n");
        using (var writer = new LogFileWriter(path, 0, 0, new LogTestClock()))
        {
            writer.TryWriteLine("new");
        }

        Assert.Equal(["old", "new"], LogFiles.ReadLines(path));
    }

    [Fact]
    public void Constructor_ParentIsARegularFile_ThrowsNamingThePath()
    {
        string blocker = _dir.Combine("blocker");
        File.WriteAllText(blocker, "");
        string path = Path.Combine(blocker, "proxy.log");

        IOException ex = Assert.Throws<IOException>(() => new LogFileWriter(path, 0, 0, new LogTestClock()));

        Assert.StartsWith("cannot open log file '" + path + "'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryWriteLine_ManyThreads_WholeLinesExactCountInOrderPerThread()
    {
        const int threads = 8;
        const int perThread = 5_000;
        string path = _dir.Combine("proxy.log");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock());

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < perThread; i++)
            {
                writer.TryWriteLine($"t{t} n{i:D6} " + new string((char)('a' + t), 40));
            }
        });
        Assert.True(writer.Flush(s_wait));

        string[] lines = LogFiles.ReadLines(path);
        Assert.Equal(threads * perThread, lines.Length);
        Assert.Equal(0, writer.DroppedLines);
        var next = new int[threads];
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            int t = int.Parse(parts[0][1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"n{next[t]:D6}", parts[1]);
            Assert.Equal(new string((char)('a' + t), 40), parts[2]);
            next[t]++;
        }
    }

    [Fact]
    public void TryWriteLine_QueueFull_DropsCountsAndReportsInNextLines()
    {
        string path = _dir.Combine("proxy.log");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock(), queueBytes: 64, startWriter: false);

        // Ten bytes plus the line break: five lines fill 55 of the 64 bytes, the writer is not draining.
        bool[] accepted = Enumerable.Range(0, 10).Select(i => writer.TryWriteLine($"line-{i:D5}")).ToArray();

        Assert.Equal([true, true, true, true, true, false, false, false, false, false], accepted);
        Assert.Equal(5, writer.DroppedLines);
        writer.Start();
        Assert.True(writer.Flush(s_wait));
        Assert.Equal(
            [
                "2026-11-22T10:00:00.123Z WARN  InverseProxy.Logging.LogFileWriter[1090] 5 log lines dropped (queue full)",
                "line-00000", "line-00001", "line-00002", "line-00003", "line-00004",
            ],
            LogFiles.ReadLines(path));
    }

    [Fact]
    public void TryWriteLine_LineBreakInsideLine_StaysOneLine()
    {
        string path = _dir.Combine("proxy.log");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock());

        writer.TryWriteLine("a\nforged\r\nline");
        Assert.True(writer.Flush(s_wait));

        Assert.Equal(["a forged  line"], LogFiles.ReadLines(path));
    }

    [Fact]
    public void Reopen_FileMovedAway_NewLinesGoToANewFileAtThePath()
    {
        string path = _dir.Combine("proxy.log");
        string moved = _dir.Combine("proxy.log.moved");
        using var writer = new LogFileWriter(path, 0, 0, new LogTestClock());
        writer.TryWriteLine("before");
        Assert.True(writer.Flush(s_wait));

        File.Move(path, moved);
        writer.Reopen();
        writer.TryWriteLine("after");
        Assert.True(writer.Flush(s_wait));

        Assert.Equal(["before"], LogFiles.ReadLines(moved));
        Assert.Equal(["after"], LogFiles.ReadLines(path));
    }

    [Fact]
    public void Dispose_LinesQueued_WritesThemBeforeClosing()
    {
        string path = _dir.Combine("proxy.log");
        var writer = new LogFileWriter(path, 0, 0, new LogTestClock());
        for (int i = 0; i < 1000; i++)
        {
            writer.TryWriteLine($"line {i}");
        }

        writer.Dispose();

        string[] lines = LogFiles.ReadLines(path);
        Assert.Equal(1000, lines.Length);
        Assert.Equal("line 999", lines[^1]);
        Assert.False(writer.TryWriteLine("late"));
    }

    [Fact]
    public void TryWriteLine_DiskFull_CountsErrorsAndDoesNotThrow()
    {
        if (!File.Exists("/dev/full"))
        {
            return;
        }

        using var writer = new LogFileWriter("/dev/full", 0, 0, new LogTestClock());

        Assert.True(writer.TryWriteLine("lost"));
        Assert.True(writer.Flush(s_wait));
        Assert.True(writer.TryWriteLine("lost too"));
        Assert.True(writer.Flush(s_wait));

        Assert.True(writer.WriteErrors >= 2);
    }
}
