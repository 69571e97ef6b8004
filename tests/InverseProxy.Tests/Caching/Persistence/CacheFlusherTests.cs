using System.Collections.Concurrent;
using InverseProxy.Caching.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class CacheFlusherTests : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(20);

    private readonly PersistenceTestFiles _files = new();
    private readonly PersistenceTestClock _clock = new(PersistenceTestFiles.CreatedAt);
    private readonly FakeSnapshotSource _source = new();
    private readonly BlockingCollection<FlushOutcome> _attempts = [];

    [Fact]
    public void Tick_VersionChanged_WritesSnapshotOnFlusherThread()
    {
        using CacheFlusher flusher = Start(_files.CachePath);

        Assert.Equal(FlushOutcome.Written, Tick());

        Assert.Equal("cache-flusher", _source.SnapshotThreadName);
        PersistenceTestFiles.AssertSameEntries(_source.Entries, CacheFileReader.Load(_files.CachePath).Entries);
        FlushStatistics stats = flusher.Statistics;
        Assert.Equal(1, stats.FlushCount);
        Assert.Equal(3, stats.LastFlushEntries);
        Assert.Equal(new FileInfo(_files.CachePath).Length, stats.LastFlushBytes);
        Assert.Equal(_source.ChangeVersion, stats.PersistedVersion);
        Assert.Equal(_clock.GetUtcNow(), stats.LastFlushAt);
    }

    [Fact]
    public void Tick_VersionUnchanged_SkipsUntilItMoves()
    {
        using CacheFlusher flusher = Start(_files.CachePath);
        Assert.Equal(FlushOutcome.Written, Tick());

        Assert.Equal(FlushOutcome.Unchanged, Tick());
        Assert.Equal(1, _source.SnapshotCount);

        _source.Entries = [PersistenceTestFiles.Entry("GET http://new/", "HTTP/1.1 200 OK", [1])];
        _source.Change();
        Assert.Equal(FlushOutcome.Written, Tick());
        Assert.Equal("GET http://new/", Assert.Single(CacheFileReader.Load(_files.CachePath).Entries).Key);
        Assert.Equal(2, flusher.Statistics.FlushCount);
    }

    [Fact]
    public void Tick_WriteFails_ReportsAndRetriesNextTick()
    {
        string blocker = Path.Combine(_files.Directory, "state");
        File.WriteAllBytes(blocker, [1]);
        string path = Path.Combine(blocker, "cache.bin");
        using CacheFlusher flusher = Start(path);

        Assert.Equal(FlushOutcome.Failed, Tick());
        Assert.Equal(1, flusher.Statistics.FailureCount);
        Assert.NotNull(flusher.Statistics.LastError);

        File.Delete(blocker);
        Assert.Equal(FlushOutcome.Written, Tick());
        Assert.Equal(3, CacheFileReader.Load(path).Count);
    }

    [Fact]
    public void Tick_SnapshotThrows_FailsWithoutKillingThread()
    {
        _source.OnSnapshot = () => throw new InvalidOperationException("cache broke");
        using CacheFlusher flusher = Start(_files.CachePath);

        Assert.Equal(FlushOutcome.Failed, Tick());

        _source.OnSnapshot = null;
        Assert.Equal(FlushOutcome.Written, Tick());
    }

    [Fact]
    public void FlushNow_Changed_WritesImmediately()
    {
        using var flusher = new CacheFlusher(_source, _files.CachePath, s_interval, _clock, NullLogger.Instance);

        Assert.Equal(FlushOutcome.Written, flusher.FlushNow());
        Assert.Equal(3, CacheFileReader.Load(_files.CachePath).Count);
        Assert.Equal(FlushOutcome.Unchanged, flusher.FlushNow());
        Assert.Equal((1, 1), (_source.SnapshotCount, _source.EndCount));
    }

    [Fact]
    public void FlushNow_WriteFails_SnapshotEndedAnyway()
    {
        Directory.CreateDirectory(_files.CachePath + ".tmp"); // the temp file cannot be created
        using var flusher = new CacheFlusher(_source, _files.CachePath, s_interval, _clock, NullLogger.Instance);

        Assert.Equal(FlushOutcome.Failed, flusher.FlushNow());
        Assert.Equal((1, 1), (_source.SnapshotCount, _source.EndCount));
    }

    [Fact]
    public void FlushNow_VersionAlreadyPersisted_DoesNotWrite()
    {
        using var flusher = new CacheFlusher(
            _source, _files.CachePath, s_interval, _clock, NullLogger.Instance, persistedVersion: _source.ChangeVersion);

        Assert.Equal(FlushOutcome.Unchanged, flusher.FlushNow());
        Assert.False(File.Exists(_files.CachePath));
    }

    [Fact]
    public void FlushNow_FileHasNewerVersion_RefusesAndKeepsIt()
    {
        byte[] newer = [.. "IPXCACHE"u8, 9, 0, .. new byte[14]];
        File.WriteAllBytes(_files.CachePath, newer);
        using var flusher = new CacheFlusher(_source, _files.CachePath, s_interval, _clock, NullLogger.Instance);

        Assert.Equal(FlushOutcome.RefusedNewerVersion, flusher.FlushNow());
        Assert.Equal(newer, File.ReadAllBytes(_files.CachePath));
        Assert.Null(flusher.Statistics.PersistedVersion);
    }

    [Fact]
    public void Dispose_WriteInProgress_WaitsForIt()
    {
        using var inSnapshot = new ManualResetEventSlim();
        _source.OnSnapshot = () =>
        {
            inSnapshot.Set();
            // Hold the write until Dispose has begun (it disposes the timer first).
            Assert.True(_clock.TimerDisposed.Wait(s_hangGuard));
        };
        CacheFlusher flusher = Start(_files.CachePath);
        _clock.Advance(s_interval);
        Assert.True(inSnapshot.Wait(s_hangGuard));

        flusher.Dispose();

        Assert.Equal(FlushOutcome.Written, flusher.Statistics.LastOutcome);
        Assert.Equal(LoadOutcome.Complete, CacheFileReader.Load(_files.CachePath).Outcome);
    }

    [Fact]
    public void Dispose_Started_StopsTimerAndLaterFlushNowStillWorks()
    {
        CacheFlusher flusher = Start(_files.CachePath);

        flusher.Dispose();
        flusher.Dispose();

        Assert.True(_clock.TimerDisposed.IsSet);
        Assert.Equal(FlushOutcome.Written, flusher.FlushNow());
    }

    public void Dispose()
    {
        _attempts.Dispose();
        _files.Dispose();
    }

    private CacheFlusher Start(string path)
    {
        var flusher = new CacheFlusher(_source, path, s_interval, _clock, NullLogger.Instance, onFlushAttempt: _attempts.Add);
        flusher.Start();
        return flusher;
    }

    private FlushOutcome Tick()
    {
        _clock.Advance(s_interval);
        Assert.True(_attempts.TryTake(out FlushOutcome outcome, s_hangGuard), "the flusher thread did not run");
        return outcome;
    }
}
