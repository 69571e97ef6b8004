namespace InverseProxy.Admin;

/// <summary>The process's memory, threads and GC figures, read once per report so JSON and Prometheus agree.</summary>
internal sealed record ProcessReport(
    long ResidentBytes,
    int Threads,
    long GcHeapBytes,
    long GcAllocatedBytes,
    IReadOnlyList<int> GcCollections,
    TimeSpan GcPauseTotal,
    long LockContentions)
{
    public static ProcessReport Read()
    {
        var figures = ProcessFigures.Read();
        return new ProcessReport(
            figures.ResidentBytes,
            figures.Threads,
            GC.GetTotalMemory(false),
            GC.GetTotalAllocatedBytes(false),
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
            GC.GetTotalPauseDuration(),
            Monitor.LockContentionCount);
    }
}
