using InverseProxy.Caching.Persistence;
using InverseProxy.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class CacheFileRecoveryTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);

    private readonly PersistenceTestFiles _files = new();

    [Fact]
    public void QuarantineDamagedFile_Damaged_RenamesAsideKeepingBytes()
    {
        byte[] bytes = [1, 2, 3, 4];
        File.WriteAllBytes(_files.CachePath, bytes);

        string moved = CacheFileReader.QuarantineDamagedFile(_files.CachePath, s_now);

        Assert.Equal(_files.CachePath + ".corrupt-20231114221320", moved);
        Assert.False(File.Exists(_files.CachePath));
        Assert.Equal(bytes, File.ReadAllBytes(moved));
    }

    [Fact]
    public void QuarantineDamagedFile_SameSecondTwice_KeepsBoth()
    {
        File.WriteAllBytes(_files.CachePath, [1]);
        string first = CacheFileReader.QuarantineDamagedFile(_files.CachePath, s_now);
        File.WriteAllBytes(_files.CachePath, [2]);

        string second = CacheFileReader.QuarantineDamagedFile(_files.CachePath, s_now);

        Assert.NotEqual(first, second);
        Assert.Equal([1], File.ReadAllBytes(first));
        Assert.Equal([2], File.ReadAllBytes(second));
    }

    [Fact]
    public void LoadAndRecover_TruncatedFile_ReturnsRecordsAndMovesFileAside()
    {
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);
        byte[] good = File.ReadAllBytes(_files.CachePath);
        File.WriteAllBytes(_files.CachePath, good[..^20]);

        CacheLoadResult result = CacheFileRecovery.LoadAndRecover(_files.CachePath, 2, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.Equal(LoadOutcome.Truncated, result.Outcome);
        Assert.Equal(2, result.Count);
        Assert.False(File.Exists(_files.CachePath));
        Assert.Equal(good[..^20], File.ReadAllBytes(_files.CachePath + ".corrupt-20231114221320"));
    }

    [Fact]
    public void LoadAndRecover_CompleteFile_LeavesFileInPlace()
    {
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        CacheLoadResult result = CacheFileRecovery.LoadAndRecover(_files.CachePath, 2, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.Equal(LoadOutcome.Complete, result.Outcome);
        Assert.True(File.Exists(_files.CachePath));
        Assert.Single(Directory.GetFiles(_files.Directory));
    }

    [Fact]
    public void LoadAndRecover_StaleTempFromKilledWrite_RemovesItAndLoadsTheFile()
    {
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);
        File.WriteAllBytes(CacheFileWriter.TempPathFor(_files.CachePath), [1, 2, 3]);
        var logger = new ListLogger();

        CacheLoadResult result = CacheFileRecovery.LoadAndRecover(_files.CachePath, 2, new PersistenceTestClock(s_now), logger);

        Assert.Equal(LoadOutcome.Complete, result.Outcome);
        Assert.False(File.Exists(CacheFileWriter.TempPathFor(_files.CachePath)));
        Assert.Single(logger.EventIds, 3008);
    }

    [Fact]
    public void LoadAndRecover_DamagedFileBeyondCorruptKeep_DeletesTheOldestCopies()
    {
        string oldest = DamagedCopy("20230101000000");
        string sameSecondFirst = DamagedCopy("20230601000000");
        string sameSecondSecond = DamagedCopy("20230601000000-2");
        string foreign = DamagedCopy("notes");
        File.WriteAllBytes(_files.CachePath, [9, 9, 9, 9]);
        var logger = new ListLogger();

        CacheFileRecovery.LoadAndRecover(_files.CachePath, 2, new PersistenceTestClock(s_now), logger);

        Assert.True(File.Exists(_files.CachePath + ".corrupt-20231114221320"), "the file just moved aside is kept");
        Assert.True(File.Exists(sameSecondSecond));
        Assert.False(File.Exists(sameSecondFirst));
        Assert.False(File.Exists(oldest));
        Assert.True(File.Exists(foreign), "a name this build does not make is left alone");
        Assert.Contains(3017, logger.EventIds);
    }

    [Fact]
    public void LoadAndRecover_AtStartWithoutNewDamage_PrunesToCorruptKeep()
    {
        string older = DamagedCopy("20230101000000");
        string newer = DamagedCopy("20230102000000");
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        CacheFileRecovery.LoadAndRecover(_files.CachePath, 1, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.False(File.Exists(older));
        Assert.True(File.Exists(newer));
    }

    [Fact]
    public void LoadAndRecover_CorruptKeepZero_KeepsNoDamagedCopy()
    {
        File.WriteAllBytes(_files.CachePath, [9, 9, 9, 9]);

        CacheFileRecovery.LoadAndRecover(_files.CachePath, 0, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.Empty(Directory.GetFiles(_files.Directory));
    }

    private string DamagedCopy(string suffix)
    {
        string path = _files.CachePath + ".corrupt-" + suffix;
        File.WriteAllBytes(path, [7]);
        return path;
    }

    public void Dispose()
    {
        _files.Dispose();
    }
}
