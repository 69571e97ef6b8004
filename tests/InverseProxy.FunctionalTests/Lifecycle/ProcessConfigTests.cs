using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Lifecycle;

public sealed class ProcessConfigTests
{
    [Fact]
    public void Main_BadConfig_Exit2WithOneLinePerProblemAndNoListener()
    {
        string directory = TempDirectory.Create("process");
        int port = UnusedPort.Find();
        string config = ProxyConfigFile.Write(directory, $"""
            port = {port}
            targets = 127.0.0.1:9
            colour = blue
            cache_size = lots
            upstream_read_timeout = soon
            """);

        using var process = ProxyProcess.Run("--config", config);

        Assert.Equal(2, process.ExitCode);
        var lines = process.StdErrLines;
        Assert.Equal(3, lines.Length);
        Assert.Single(lines, l => l.Contains("colour"));
        Assert.Single(lines, l => l.Contains("cache_size") && l.Contains("lots"));
        Assert.Single(lines, l => l.Contains("upstream_read_timeout") && l.Contains("soon"));
        Assert.True(UnusedPort.Refuses(port));
        Assert.False(File.Exists(Path.Combine(directory, "proxy.log")));
    }

    [Fact]
    public void Main_MissingConfigFile_Exit2NamingTheFile()
    {
        string missing = Path.Combine(TempDirectory.Create("process"), "absent.conf");

        using var process = ProxyProcess.Run("--config", missing);

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(process.StdErrLines);
        Assert.Contains(missing, line);
        Assert.Contains("not found", line);
    }

    [Fact]
    public void Main_CheckGoodConfig_Exit0()
    {
        string directory = TempDirectory.Create("process");
        string config = ProxyConfigFile.Write(directory, "port = 0\ntargets = 127.0.0.1:9\n");

        using var process = ProxyProcess.Run("--config", config, "--check");

        Assert.Equal(0, process.ExitCode);
        Assert.Empty(process.StdErr);
        Assert.Contains("targets = 127.0.0.1:9", process.StdOut);
        Assert.Contains("test is successful", process.StdOut);
    }

    [Fact]
    public void Main_CheckBadConfig_Exit2()
    {
        string directory = TempDirectory.Create("process");
        string config = ProxyConfigFile.Write(directory, "port = 0\ntargets = 127.0.0.1:9\nmax_connections = many\n");

        using var process = ProxyProcess.Run("--config", config, "--check");

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("max_connections", process.StdErr);
        Assert.Contains("test failed", process.StdErr);
    }

    [Fact]
    public void Main_CheckPersistenceFolderNotWritable_Exit2WithOneLineNamingKeyAndFolder()
    {
        string directory = TempDirectory.Create("process");
        string blocker = Path.Combine(directory, "not-a-directory");
        File.WriteAllText(blocker, "a file, not a folder");
        string config = ProxyConfigFile.Write(directory, $"targets = 127.0.0.1:9\npath_to_persistence = {blocker}/cache.bin\n");

        using var process = ProxyProcess.Run("--config", config, "--check");

        Assert.Equal(2, process.ExitCode);
        Assert.Single(process.StdErrLines, l => l.StartsWith($"path_to_persistence: cannot write in the folder '{blocker}'", StringComparison.Ordinal));
        Assert.Contains("test failed", process.StdErr);
        Assert.Empty(process.StdOut);
    }

    [Fact]
    public void Main_LogPathUnderRegularFile_Exit2NamingPathToLog()
    {
        string directory = TempDirectory.Create("process");
        string blocker = Path.Combine(directory, "not-a-directory");
        File.WriteAllText(blocker, "a file, not a folder");
        string config = ProxyConfigFile.Write(directory, $"port = 0\ntargets = 127.0.0.1:9\npath_to_log = {blocker}/proxy.log\n");

        using var process = ProxyProcess.Run("--config", config);

        Assert.Equal(2, process.ExitCode);
        Assert.Single(process.StdErrLines, l => l.Contains("path_to_log"));
        Assert.DoesNotContain("Listening on", process.StdOut);
    }
}
