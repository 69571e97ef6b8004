namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// Samples the managed heap and the process working set on a background thread and keeps the highest growth
/// over the baseline taken at start, to show that a large transfer is streamed rather than buffered.
/// </summary>
internal sealed class MemoryWatch : IDisposable
{
    private readonly long _heapBaseline;
    private readonly long _workingSetBaseline;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private long _maxHeap;
    private long _maxWorkingSet;

    private MemoryWatch()
    {
        _heapBaseline = GC.GetTotalMemory(forceFullCollection: true);
        _workingSetBaseline = Environment.WorkingSet;
        _maxHeap = _heapBaseline;
        _maxWorkingSet = _workingSetBaseline;
        _thread = new Thread(Sample) { IsBackground = true, Name = "memory-watch" };
        _thread.Start();
    }

    /// <summary>Highest managed heap size seen, minus the baseline.</summary>
    public long HeapGrowth => Interlocked.Read(ref _maxHeap) - _heapBaseline;

    /// <summary>Highest working set seen, minus the baseline.</summary>
    public long WorkingSetGrowth => Interlocked.Read(ref _maxWorkingSet) - _workingSetBaseline;

    public static MemoryWatch Start() => new();

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Sample()
    {
        do
        {
            Interlocked.Exchange(ref _maxHeap, Math.Max(Interlocked.Read(ref _maxHeap), GC.GetTotalMemory(false)));
            Interlocked.Exchange(ref _maxWorkingSet, Math.Max(Interlocked.Read(ref _maxWorkingSet), Environment.WorkingSet));
        }
        while (!_stop.Wait(20));
    }
}
