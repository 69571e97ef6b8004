using System.Diagnostics;
using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class ProcessFiguresTests
{
    private const string Status = """
        Name:	InverseProxy
        Umask:	0022
        State:	S (sleeping)
        VmPeak:	 3601544 kB
        VmRSS:	  184320 kB
        RssAnon:	  120000 kB
        Threads:	12023
        SigQ:	0/95436
        """;

    [Fact]
    public void TryParseStatus_ProcStatusText_ResidentBytesAndThreads()
    {
        Assert.True(ProcessFigures.TryParseStatus(Status, out var figures));

        Assert.Equal(184320L * 1024, figures.ResidentBytes);
        Assert.Equal(12023, figures.Threads);
    }

    [Theory]
    [InlineData("Name:\tx\nThreads:\t4\n")]
    [InlineData("Name:\tx\nVmRSS:\t  100 kB\n")]
    [InlineData("VmRSS:\t  lots kB\nThreads:\t4\n")]
    public void TryParseStatus_FigureMissingOrMalformed_False(string status)
    {
        Assert.False(ProcessFigures.TryParseStatus(status, out _));
    }

    [Fact]
    public void Read_ThisProcess_AgreesWithProcessClass()
    {
        using var process = Process.GetCurrentProcess();
        int threadsBefore = process.Threads.Count;

        var figures = ProcessFigures.Read();

        process.Refresh();
        int threadsAfter = process.Threads.Count;
        Assert.InRange(figures.Threads, Math.Min(threadsBefore, threadsAfter) - 8, Math.Max(threadsBefore, threadsAfter) + 8);
        Assert.InRange(figures.ResidentBytes, process.WorkingSet64 / 2, process.WorkingSet64 * 2);
    }
}
