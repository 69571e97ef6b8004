using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ConfigFileTests
{
    [Fact]
    public void Load_MissingFile_ReportsNotFound()
    {
        using var config = new TempConfig();
        var missing = Path.Combine(config.Directory, "x.conf");

        var result = ConfigLoader.Load(["--config", missing], TempConfig.NoEnvironment);

        Assert.Null(result.Options);
        Assert.Equal(missing, result.ConfigPath);
        Assert.Equal([$"config file '{missing}' not found"], result.Errors);
    }

    [Fact]
    public void Load_PathIsADirectory_ReportsCouldNotBeRead()
    {
        using var config = new TempConfig();

        var result = ConfigLoader.Load(["--config", config.Directory], TempConfig.NoEnvironment);

        Assert.Equal([$"config file '{config.Directory}' could not be read: it is a directory"], result.Errors);
    }

    [Fact]
    public void Load_FileOverOneMegabyte_ReportsCouldNotBeRead()
    {
        using var config = new TempConfig(TempConfig.Targets + new string(';', 1024 * 1024));

        Assert.Equal([$"config file '{config.Path}' could not be read: larger than 1MB"], config.Load().Errors);
    }

    [Fact]
    public void Load_RelativeConfigPath_ResolvesAgainstCurrentDirectory()
    {
        var result = ConfigLoader.Load(["--config", "no-such-dir/proxy.conf"], TempConfig.NoEnvironment);

        Assert.Equal(Path.GetFullPath("no-such-dir/proxy.conf"), result.ConfigPath);
    }

    [Fact]
    public void Load_NoConfigOption_UsesProxyConfInCurrentDirectory()
    {
        var result = ConfigLoader.Load(["--help"], TempConfig.NoEnvironment);

        Assert.Equal(Path.GetFullPath("proxy.conf"), result.ConfigPath);
    }

    [Fact]
    public void Load_Section_IsRefusedWithLineNumber()
    {
        using var config = new TempConfig(TempConfig.Targets + "[proxy]\nport = 9000\n");

        Assert.Equal(
            [$"config file '{config.Path}' line 2: the only sections are [site:NAME] with NAME of letters, digits, '-' and '_'; other keys are top level (found '[proxy]')"],
            config.Load().Errors);
    }

    [Fact]
    public void Load_LineWithoutEquals_IsRefusedWithLineNumber()
    {
        using var config = new TempConfig(TempConfig.Targets + "\nport 9000\n= 5\n");

        Assert.Equal(
            [
                $"config file '{config.Path}' line 3: expected key = value (found 'port 9000')",
                $"config file '{config.Path}' line 4: expected key = value (found '= 5')",
            ],
            config.Load().Errors);
    }

    [Fact]
    public void Load_KeySetTwice_IsRefusedWithBothLines()
    {
        using var config = new TempConfig("port = 1\n" + TempConfig.Targets + "PORT = 2\n");

        Assert.Equal(
            [
                $"config file '{config.Path}' line 3: 'PORT' is set again (first on line 1)",
            ],
            config.Load().Errors);
    }

    [Fact]
    public void Load_MissingFileAndBadOptions_ReportsBoth()
    {
        var environment = new System.Collections.Hashtable { ["INVERSEPROXY_PROT"] = "1" };

        var result = ConfigLoader.Load(["--config", "/no/such/x.conf", "--prot", "1"], environment);

        Assert.Equal(
            [
                "unknown option '--prot' (did you mean '--port'?)",
                "unknown environment variable 'INVERSEPROXY_PROT' (did you mean 'INVERSEPROXY_PORT'?)",
                "config file '/no/such/x.conf' not found",
            ],
            result.Errors);
    }

    [Fact]
    public void Load_SectionAndBadValue_ReportsBoth()
    {
        using var config = new TempConfig(TempConfig.Targets + "ttl = x\n[proxy]\nport = 1\n");

        Assert.Equal(
            [
                $"config file '{config.Path}' line 3: the only sections are [site:NAME] with NAME of letters, digits, '-' and '_'; other keys are top level (found '[proxy]')",
                "ttl must be a duration like 30s, 500ms, 5m, 1h or 1d (a bare number is seconds) (was 'x')",
            ],
            config.Load().Errors);
    }

    [Fact]
    public void Load_Utf8ByteOrderMark_IsIgnored()
    {
        using var config = new TempConfig();
        File.WriteAllBytes(config.Path, [0xEF, 0xBB, 0xBF, .. "port = 9300\n"u8, .. System.Text.Encoding.UTF8.GetBytes(TempConfig.Targets)]);

        Assert.Equal(9300, config.Load().Options!.Port);
    }
}
