using System.Collections;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ConfigLoaderOverrideTests
{
    [Fact]
    public void Load_EnvironmentVariable_OverridesFile()
    {
        using var config = new TempConfig("port = 9000\n" + TempConfig.Targets);
        var environment = new Hashtable { ["INVERSEPROXY_PORT"] = "9001", ["INVERSEPROXY_CACHE_SIZE"] = "16MB", ["PATH"] = "/bin" };

        var options = config.Load(environment).Options!;

        Assert.Equal(9001, options.Port);
        Assert.Equal(16 * 1024 * 1024, options.CacheSize);
    }

    [Fact]
    public void Load_CommandLine_OverridesEnvironmentAndFile()
    {
        using var config = new TempConfig("port = 9000\nttl = 1s\n" + TempConfig.Targets);
        var environment = new Hashtable { ["INVERSEPROXY_PORT"] = "9001", ["INVERSEPROXY_TTL"] = "2s" };

        var options = config.Load(environment, "--port", "9002", "--ttl=3s").Options!;

        Assert.Equal(9002, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Ttl);
    }

    [Fact]
    public void Load_DashedOptionNames_MapToUnderscoreKeys()
    {
        using var config = new TempConfig();

        var options = config.Load("--cache-size", "2MB", "--max-entry-size=1MB", "--path-to-log", "l.log").Options!;

        Assert.Equal(2 * 1024 * 1024, options.CacheSize);
        Assert.Equal(1024 * 1024, options.MaxEntrySize);
        Assert.Equal(Path.Combine(config.Directory, "l.log"), options.PathToLog);
    }

    [Fact]
    public void Load_RepeatedOption_LastWins()
    {
        using var config = new TempConfig();

        Assert.Equal(9005, config.Load("--port", "9004", "--port", "9005").Options!.Port);
    }

    [Fact]
    public void Load_TargetsOnlyFromCommandLine_SatisfiesRequirement()
    {
        using var config = new TempConfig("");

        Assert.Equal(2, config.Load("--targets", "a:1,b:2").Options!.Targets.Count);
    }

    [Fact]
    public void Load_BadValueFromEnvironment_NamesTheVariable()
    {
        using var config = new TempConfig();
        var environment = new Hashtable { ["INVERSEPROXY_PORT"] = "eighty" };

        Assert.Equal(["port must be a whole number like 100 (was 'eighty' from INVERSEPROXY_PORT)"], config.Load(environment).Errors);
    }

    [Fact]
    public void Load_BadValueFromCommandLine_NamesTheOption()
    {
        using var config = new TempConfig();

        Assert.Equal(
            ["targets: 'nope' must be host:port (port 1-65535) (from --targets)"],
            config.Load("--targets", "nope").Errors);
    }

    [Fact]
    public void Load_UnknownEnvironmentVariable_ReportsWithSuggestion()
    {
        using var config = new TempConfig();
        var environment = new Hashtable { ["INVERSEPROXY_PROT"] = "1" };

        Assert.Equal(["unknown environment variable 'INVERSEPROXY_PROT' (did you mean 'INVERSEPROXY_PORT'?)"], config.Load(environment).Errors);
    }

    [Theory]
    [InlineData(new[] { "--prot", "9000" }, "unknown option '--prot' (did you mean '--port'?)")]
    [InlineData(new[] { "--cache-sise=1" }, "unknown option '--cache-sise' (did you mean '--cache-size'?)")]
    [InlineData(new[] { "--frobnicate" }, "unknown option '--frobnicate' (see --help)")]
    [InlineData(new[] { "--port" }, "option '--port' needs a value")]
    [InlineData(new[] { "--port", "--check" }, "option '--port' needs a value")]
    [InlineData(new[] { "--check=yes" }, "option '--check' takes no value")]
    [InlineData(new[] { "serve" }, "unexpected argument 'serve' (options start with --; see --help)")]
    public void Load_BadCommandLine_ReportsOneLine(string[] args, string expected)
    {
        using var config = new TempConfig();

        var result = config.Load(args);

        Assert.Null(result.Options);
        Assert.Equal([expected], result.Errors);
    }

    [Fact]
    public void Load_CheckAndDemoFlags_AreReported()
    {
        using var config = new TempConfig();

        var result = config.Load("--check", "--demo");

        Assert.True(result.CheckOnly);
        Assert.True(result.Demo);
        Assert.False(result.ShowHelp);
        Assert.NotNull(result.Options);
    }

    [Fact]
    public void Load_NoFlags_AllFlagsFalse()
    {
        using var config = new TempConfig();

        var result = config.Load();

        Assert.False(result.CheckOnly || result.Demo || result.ShowHelp);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Load_Help_SkipsLoadingAndReportsNoErrors(string flag)
    {
        var result = ConfigLoader.Load(["--config", "/no/such/file.conf", flag], TempConfig.NoEnvironment);

        Assert.True(result.ShowHelp);
        Assert.Null(result.Options);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void HelpText_ListsEveryKeyAndFlag()
    {
        var help = ConfigLoader.HelpText;

        Assert.All(OptionKeys.Names, name => Assert.Contains("  " + name + " ", help));
        Assert.All(new[] { "--config", "--check", "--demo", "--help", "INVERSEPROXY_" }, flag => Assert.Contains(flag, help));
    }

    [Fact]
    public void FormatCheckReport_ValidConfig_ListsSettingsAndSuccess()
    {
        using var config = new TempConfig();

        var report = ConfigLoader.FormatCheckReport(config.Load("--check"));

        Assert.Contains("targets = 127.0.0.1:9001\n", report);
        Assert.EndsWith($"configuration file {config.Path} test is successful\n", report);
    }

    [Fact]
    public void FormatCheckReport_InvalidConfig_ListsErrorsAndFailure()
    {
        using var config = new TempConfig("port = x\n");

        var report = ConfigLoader.FormatCheckReport(config.Load("--check"));

        Assert.StartsWith("port must be a whole number like 100 (was 'x')\ntargets must be", report);
        Assert.EndsWith($"configuration file {config.Path} test failed\n", report);
    }
}
