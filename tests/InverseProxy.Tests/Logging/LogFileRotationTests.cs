using InverseProxy.Logging;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Logging;

public sealed class LogFileRotationTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_PastMaxSizeWithKeep3_ShiftsFilesAndDeletesTheOldest()
    {
        string path = _dir.Combine("proxy.log");

        // Ten-byte lines, 100-byte files: ten lines each. 55 lines fill six files; keep=3 leaves the last four.
        using (var writer = new LogFileWriter(path, maxSize: 100, keep: 3, new LogTestClock()))
        {
            for (int i = 0; i < 55; i++)
            {
                writer.TryWriteLine($"line-{i:D4}");
                if (i % 7 == 0)
                {
                    Assert.True(writer.Flush(s_wait));
                }
            }
        }

        Assert.Equal(Lines(50, 5), LogFiles.ReadLines(path));
        Assert.Equal(Lines(40, 10), LogFiles.ReadLines(path + ".1"));
        Assert.Equal(Lines(30, 10), LogFiles.ReadLines(path + ".2"));
        Assert.Equal(Lines(20, 10), LogFiles.ReadLines(path + ".3"));
        Assert.False(File.Exists(path + ".4"));
    }

    [Fact]
    public void Write_MaxSizeZero_NeverRotates()
    {
        string path = _dir.Combine("proxy.log");
        using (var writer = new LogFileWriter(path, maxSize: 0, keep: 3, new LogTestClock()))
        {
            for (int i = 0; i < 100; i++)
            {
                writer.TryWriteLine($"line-{i:D4}");
            }
        }

        Assert.Equal(Lines(0, 100), LogFiles.ReadLines(path));
        Assert.False(File.Exists(path + ".1"));
    }

    [Fact]
    public void Write_KeepZero_StartsAFreshFileWithoutKeepingTheOld()
    {
        string path = _dir.Combine("proxy.log");
        using (var writer = new LogFileWriter(path, maxSize: 100, keep: 0, new LogTestClock()))
        {
            for (int i = 0; i < 25; i++)
            {
                writer.TryWriteLine($"line-{i:D4}");
            }
        }

        Assert.Equal(Lines(20, 5), LogFiles.ReadLines(path));
        Assert.False(File.Exists(path + ".1"));
    }

    [Fact]
    public void Write_LineLongerThanMaxSize_GetsAFileOfItsOwn()
    {
        string path = _dir.Combine("proxy.log");
        string big = new('x', 250);
        using (var writer = new LogFileWriter(path, maxSize: 100, keep: 5, new LogTestClock()))
        {
            writer.TryWriteLine("small-0000");
            writer.TryWriteLine(big);
            writer.TryWriteLine("small-0001");
        }

        Assert.Equal(["small-0001"], LogFiles.ReadLines(path));
        Assert.Equal([big], LogFiles.ReadLines(path + ".1"));
        Assert.Equal(["small-0000"], LogFiles.ReadLines(path + ".2"));
    }

    private static string[] Lines(int first, int count) =>
        Enumerable.Range(first, count).Select(i => $"line-{i:D4}").ToArray();
}
