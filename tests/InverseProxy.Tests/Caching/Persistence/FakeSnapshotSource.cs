using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

/// <summary>A cache stand-in whose version and entries the test sets, with an optional hook inside Snapshot.</summary>
internal sealed class FakeSnapshotSource : ICacheSnapshotSource
{
    private long _version = 1;

    public IReadOnlyList<PersistedEntry> Entries { get; set; } = PersistenceTestFiles.ThreeEntries();

    public int SnapshotCount { get; private set; }

    public string? SnapshotThreadName { get; private set; }

    /// <summary>Runs inside Snapshot, on the flushing thread.</summary>
    public Action? OnSnapshot { get; set; }

    public long ChangeVersion => Interlocked.Read(ref _version);

    public void Change()
    {
        Interlocked.Increment(ref _version);
    }

    public int EndCount { get; private set; }

    public void EndSnapshot() => EndCount++;

    public IReadOnlyList<PersistedEntry?> Snapshot(out long version)
    {
        SnapshotCount++;
        SnapshotThreadName = Thread.CurrentThread.Name;
        OnSnapshot?.Invoke();
        version = ChangeVersion;
        return Entries;
    }
}
