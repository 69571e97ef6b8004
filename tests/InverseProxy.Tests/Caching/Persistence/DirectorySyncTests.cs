using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly PersistenceTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Sync_ExistingDirectory_Succeeds()
    {
        Assert.Null(DirectorySync.Sync(_files.Directory));
    }

    [Fact]
    public void Sync_RegularFile_RefusedAsNotADirectory()
    {
        File.WriteAllBytes(_files.CachePath, [1]);

        string? error = DirectorySync.Sync(_files.CachePath);

        Assert.NotNull(error);
        Assert.StartsWith("open: ", error, StringComparison.Ordinal);
        Assert.Contains("errno 20", error, StringComparison.Ordinal); // ENOTDIR: O_DIRECTORY was passed
    }

    [Fact]
    public void Sync_MissingDirectory_ReportsOpenError()
    {
        string? error = DirectorySync.Sync(Path.Combine(_files.Directory, "absent"));

        Assert.Equal("open: No such file or directory (errno 2)", error);
    }

    [Fact]
    public void Write_IntoWritableDirectory_RenamesAndFlushesDirectory()
    {
        CacheWriteResult result = CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Written, result.Outcome);
        Assert.Null(result.DirectorySyncError);
    }
}
