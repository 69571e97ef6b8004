using InverseProxy.Caching.Persistence;
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

        CacheLoadResult result = CacheFileRecovery.LoadAndRecover(_files.CachePath, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.Equal(LoadOutcome.Truncated, result.Outcome);
        Assert.Equal(2, result.Count);
        Assert.False(File.Exists(_files.CachePath));
        Assert.Equal(good[..^20], File.ReadAllBytes(_files.CachePath + ".corrupt-20231114221320"));
    }

    [Fact]
    public void LoadAndRecover_CompleteFile_LeavesFileInPlace()
    {
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        CacheLoadResult result = CacheFileRecovery.LoadAndRecover(_files.CachePath, new PersistenceTestClock(s_now), NullLogger.Instance);

        Assert.Equal(LoadOutcome.Complete, result.Outcome);
        Assert.True(File.Exists(_files.CachePath));
        Assert.Single(Directory.GetFiles(_files.Directory));
    }

    public void Dispose()
    {
        _files.Dispose();
    }
}
