using System.Text.RegularExpressions;

namespace InverseProxy.Tests.Deploy;

/// <summary>deploy-ec2.sh's command line: --help, --dry-run and the errors for bad or missing options.</summary>
public sealed partial class DeployEc2ScriptArgumentTests : IDisposable
{
    private readonly DeployHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Help_EveryParsedFlag_IsDocumented()
    {
        var flags = ParsedFlags();

        var result = _harness.Run("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(flags.Count >= 14, "parsed flags: " + string.Join(' ', flags));
        Assert.All(flags, flag => Assert.Matches(@$"(^|[\s,]){Regex.Escape(flag)}([\s,]|$)", result.StdOut));
        Assert.Empty(_harness.Calls());
    }

    [Theory]
    [InlineData("AWS_REGION")]
    [InlineData("AWS_DEFAULT_REGION")]
    [InlineData("AWS_PROFILE")]
    [InlineData("INVERSEPROXY_BUNDLE")]
    [InlineData("INVERSEPROXY_SSH_USER")]
    [InlineData("INVERSEPROXY_SSH_KEY")]
    [InlineData("/aws/service/debian/release/12/latest/amd64")]
    public void Help_EnvironmentAndAmiSource_AreDocumented(string text)
    {
        var result = _harness.Run("--help");

        Assert.Contains(text, result.StdOut);
    }

    [Fact]
    public void DryRun_Launch_PrintsEveryCommandAndRunsNone()
    {
        var result = _harness.Run("--dry-run", "--region", "eu-west-1", "--key-name", "k", "--allow-cidr", "198.51.100.7/32",
            "--snapshot-from", "10.0.0.9");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_harness.Calls());
        var printed = result.StdOut.Split('\n').Where(line => line.StartsWith("+ ", StringComparison.Ordinal)).ToList();
        Assert.Contains(printed, line => line.StartsWith("+ dotnet publish ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ aws --region eu-west-1 ssm get-parameters ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ aws --region eu-west-1 ec2 create-security-group ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ aws --region eu-west-1 ec2 run-instances ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ aws --region eu-west-1 ec2 wait instance-running ", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ scp ", StringComparison.Ordinal) && line.Contains("admin@10.0.0.9:", StringComparison.Ordinal));
        Assert.Contains(printed, line => line.StartsWith("+ ssh ", StringComparison.Ordinal) && line.Contains("install.sh", StringComparison.Ordinal));
    }

    [Fact]
    public void DryRun_Host_PrintsCopyAndInstallCommandsAndRunsNone()
    {
        var result = _harness.Run("--dry-run", "--host", "deploy@10.0.0.5", "--bundle", _harness.PrebuiltBundle);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_harness.Calls());
        Assert.Contains($"+ scp ", result.StdOut);
        Assert.Contains("deploy@10.0.0.5:inverseproxy-deploy/bundle", result.StdOut);
        Assert.Contains("sudo bash inverseproxy-deploy/install.sh", result.StdOut);
        Assert.DoesNotContain("+ aws", result.StdOut);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("unknown option 'stray'", "--host", "a@b", "stray")]
    [InlineData("--host needs a value", "--host")]
    [InlineData("--key-name needs a value", "--key-name", "--region", "eu-west-1")]
    [InlineData("either --host USER@ADDRESS or --key-name NAME", "--region", "eu-west-1")]
    [InlineData("--region REGION or AWS_REGION", "--key-name", "k", "--security-group", "sg-1")]
    [InlineData("--security-group ID or --allow-cidr CIDR", "--region", "r", "--key-name", "k")]
    [InlineData("not both", "--region", "r", "--key-name", "k", "--security-group", "sg-1", "--allow-cidr", "1.2.3.4/32")]
    [InlineData("--allow-cidr must be an IPv4 range", "--region", "r", "--key-name", "k", "--allow-cidr", "everyone")]
    [InlineData("--allow-cidr must be an IPv4 range", "--region", "r", "--key-name", "k", "--allow-cidr", "300.1.2.3/32")]
    [InlineData("--allow-cidr must be an IPv4 range", "--region", "r", "--key-name", "k", "--allow-cidr", "1.2.3.4/33")]
    [InlineData("--allow-cidr must be an IPv4 range", "--region", "r", "--key-name", "k", "--allow-cidr", "01.2.3.4/32")]
    [InlineData("only apply to a launch", "--host", "a@b", "--key-name", "k")]
    [InlineData("only apply to a launch", "--host", "a@b", "--region", "eu-west-1")]
    [InlineData("config file 'missing.conf' not found", "--host", "a@b", "--config", "missing.conf")]
    [InlineData("has no executable InverseProxy", "--host", "a@b", "--bundle", "/nonexistent")]
    public void Arguments_BadOrMissing_ExitNonZeroWithMessageAndRunNothing(string message, params string[] args)
    {
        var result = _harness.Run(args);

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.StdErr);
        Assert.Empty(_harness.Calls());
    }

    [Fact]
    public void Config_PortOutOfRange_ExitsNonZeroNamingTheValue()
    {
        _harness.WriteFile("work/bad.conf", "port = 70000\n");

        var result = _harness.Run("--host", "a@b", "--config", "bad.conf");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("(was '70000')", result.StdErr);
    }

    // The flags the script's parse_args accepts, read from the script itself so a new flag without help fails.
    private static List<string> ParsedFlags()
    {
        var script = File.ReadAllText(RepoRoot.File("deploy-ec2.sh"));
        var start = script.IndexOf("parse_args() {", StringComparison.Ordinal);
        var end = script.IndexOf("\n}", start, StringComparison.Ordinal);
        return FlagPattern().Matches(script[start..end]).Select(match => match.Value).Distinct().ToList();
    }

    [GeneratedRegex(@"(?<![\w-])--?[a-z][a-z-]*(?=\s*[|)])")]
    private static partial Regex FlagPattern();
}
