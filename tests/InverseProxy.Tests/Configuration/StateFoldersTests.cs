using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class StateFoldersTests : IDisposable
{
    private readonly TempConfig _config = new(TempConfig.Targets + "path_to_persistence = state/cache.bin\npath_to_log = logs/proxy.log\n");

    public void Dispose() => _config.Dispose();

    [Fact]
    public void Check_MissingFolders_CreatesThemAsStartUpWouldAndLeavesNoProbe()
    {
        ConfigLoadResult loaded = _config.Load("--check");

        ConfigLoadResult checkedResult = StateFolders.Check(loaded);

        Assert.Same(loaded, checkedResult);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_config.Directory, "state")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_config.Directory, "logs")));
    }

    [Fact]
    public void Check_PersistenceFolderUnderRegularFile_FailsNamingKeyAndFolder()
    {
        File.WriteAllText(Path.Combine(_config.Directory, "state"), "a file, not a folder");

        ConfigLoadResult result = StateFolders.Check(_config.Load("--check"));

        Assert.Null(result.Options);
        string error = Assert.Single(result.Errors);
        Assert.StartsWith($"path_to_persistence: cannot write in the folder '{Path.Combine(_config.Directory, "state")}' (", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_LogFolderUnderRegularFile_FailsNamingKeyAndFolder()
    {
        File.WriteAllText(Path.Combine(_config.Directory, "logs"), "a file, not a folder");

        ConfigLoadResult result = StateFolders.Check(_config.Load("--check"));

        string error = Assert.Single(result.Errors);
        Assert.StartsWith($"path_to_log: cannot write in the folder '{Path.Combine(_config.Directory, "logs")}' (", error, StringComparison.Ordinal);
        Assert.Contains("test failed", ConfigLoader.FormatCheckReport(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CacheOff_PersistenceFolderIsNotUsedSoNotChecked()
    {
        File.WriteAllText(Path.Combine(_config.Directory, "state"), "a file, not a folder");

        ConfigLoadResult result = StateFolders.Check(_config.Load("--check", "--cache_size", "0"));

        Assert.Empty(result.Errors);
    }
}
