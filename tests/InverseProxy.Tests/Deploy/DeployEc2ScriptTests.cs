namespace InverseProxy.Tests.Deploy;

/// <summary>deploy-ec2.sh against stub aws/ssh/scp/dotnet: which commands run, with what, in which order.</summary>
public sealed class DeployEc2ScriptTests : IDisposable
{
    private readonly DeployHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Launch_WithSecurityGroup_ResolvesAmiLaunchesTaggedInstanceAndWaits()
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "ops-key", "--security-group", "sg-0given",
            "--instance-type", "t3.micro");

        Assert.True(result.ExitCode == 0, result.ToString());
        var aws = _harness.Calls("aws");
        Assert.Equal(4, aws.Count);
        Assert.Contains("ssm get-parameters --names /aws/service/debian/release/12/latest/amd64", aws[0]);
        Assert.Contains("ec2 run-instances", aws[1]);
        Assert.Contains("--image-id " + DeployHarness.AmiId, aws[1]);
        Assert.Contains("--instance-type t3.micro", aws[1]);
        Assert.Contains("--key-name ops-key", aws[1]);
        Assert.Contains("--security-group-ids sg-0given", aws[1]);
        Assert.Contains("{Key=Name,Value=inverseproxy}", aws[1]);
        Assert.Contains("{Key=Project,Value=InverseProxy}", aws[1]);
        Assert.Contains("ec2 wait instance-running --instance-ids " + DeployHarness.InstanceId, aws[2]);
        Assert.Contains("ec2 describe-instances --instance-ids " + DeployHarness.InstanceId, aws[3]);
        Assert.All(aws, call => Assert.Contains("--region eu-west-1", call));
    }

    [Fact]
    public void Launch_DefaultInstanceType_IsT3Small()
    {
        var result = _harness.RunWithEnvironment(new Dictionary<string, string> { ["AWS_REGION"] = "us-east-2" },
            "--key-name", "k", "--security-group", "sg-1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var launch = Assert.Single(_harness.Calls("aws"), call => call.Contains("run-instances", StringComparison.Ordinal));
        Assert.Contains("--instance-type t3.small", launch);
        Assert.Contains("--region us-east-2", launch);
    }

    [Fact]
    public void Launch_AfterInstanceRuns_CopiesBundleConfigAndUnitThenRunsInstallerWithSudo()
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--security-group", "sg-1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = _harness.Calls();
        var target = "admin@" + DeployHarness.PublicDns;
        var waited = IndexOf(calls, "aws ", "wait instance-running");
        var bundleCopy = IndexOf(calls, "scp ", "-r", target + ":inverseproxy-deploy/bundle");
        var configCopy = IndexOf(calls, "scp ", "proxy.conf " + target + ":inverseproxy-deploy/proxy.conf");
        var unitCopy = IndexOf(calls, "scp ", "deploy/inverseproxy.service", "deploy/install.sh");
        var install = IndexOf(calls, "ssh ", target, "sudo bash inverseproxy-deploy/install.sh");
        Assert.True(waited < bundleCopy && bundleCopy < install && configCopy < install && unitCopy < install,
            string.Join('\n', calls));
        Assert.Contains("dotnet publish", Assert.Single(_harness.Calls("dotnet")));
    }

    [Fact]
    public void Launch_Finished_PrintsUrlAndLogTailCommand()
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--security-group", "sg-1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"http://{DeployHarness.PublicDns}:9090/", result.StdOut);
        var lines = result.StdOut.Split('\n');
        Assert.Contains($"ssh admin@{DeployHarness.PublicDns} sudo tail -f /var/log/inverseproxy/proxy.log", lines);
    }

    [Fact]
    public void Launch_WithAllowCidr_CreatesGroupOpeningSshAndProxyPort()
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--allow-cidr", "198.51.100.7/32");

        Assert.True(result.ExitCode == 0, result.ToString());
        var aws = _harness.Calls("aws");
        Assert.Contains(aws, call => call.Contains("ec2 create-security-group", StringComparison.Ordinal));
        var ingress = aws.Where(call => call.Contains("authorize-security-group-ingress", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ingress.Count);
        Assert.All(ingress, call => Assert.Contains($"--group-id {DeployHarness.CreatedGroupId}", call));
        Assert.All(ingress, call => Assert.Contains("--cidr 198.51.100.7/32", call));
        Assert.Contains(ingress, call => call.Contains("--port 22 ", StringComparison.Ordinal));
        Assert.Contains(ingress, call => call.Contains("--port 9090 ", StringComparison.Ordinal));
        var launch = Assert.Single(aws, call => call.Contains("run-instances", StringComparison.Ordinal));
        Assert.Contains($"--security-group-ids {DeployHarness.CreatedGroupId}", launch);
    }

    [Fact]
    public void Host_ExistingMachine_NeverCallsAws()
    {
        var result = _harness.Run("--host", "deploy@10.0.0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_harness.Calls("aws"));
        Assert.Contains(_harness.Calls("ssh"), call => call.Contains("deploy@10.0.0.5 sudo bash inverseproxy-deploy/install.sh", StringComparison.Ordinal));
        Assert.Contains("http://10.0.0.5:9090/", result.StdOut);
        Assert.Contains("ssh deploy@10.0.0.5 sudo tail -f /var/log/inverseproxy/proxy.log", result.StdOut.Split('\n'));
    }

    [Fact]
    public void Host_WithBundleFlag_SkipsBuildAndCopiesThatFolder()
    {
        var result = _harness.Run("--host", "deploy@10.0.0.5", "--bundle", _harness.PrebuiltBundle);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_harness.Calls("dotnet"));
        Assert.Contains(_harness.Calls("scp"), call => call.Contains($"{_harness.PrebuiltBundle} deploy@10.0.0.5:inverseproxy-deploy/bundle", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_WithBundleEnvironmentVariable_SkipsBuild()
    {
        var environment = new Dictionary<string, string> { ["INVERSEPROXY_BUNDLE"] = _harness.PrebuiltBundle };

        var result = _harness.RunWithEnvironment(environment, "--host", "deploy@10.0.0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(_harness.Calls("dotnet"));
    }

    [Fact]
    public void Build_WithoutBundle_PublishesSelfContainedLinuxRelease()
    {
        var result = _harness.Run("--host", "deploy@10.0.0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var publish = Assert.Single(_harness.Calls("dotnet"));
        Assert.Contains($"publish {RepoRoot.File("src/InverseProxy")} -c Release -r linux-x64 --self-contained true -o ", publish);
    }

    [Fact]
    public void SnapshotFrom_RunningHost_CopiesItsCacheFileToTheNewHostBeforeInstall()
    {
        var result = _harness.Run("--host", "deploy@10.0.0.5", "--snapshot-from", "deploy@10.0.0.9");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = _harness.Calls();
        var read = IndexOf(calls, "ssh ", "deploy@10.0.0.9", "/var/lib/inverseproxy/cache.bin");
        var download = IndexOf(calls, "scp ", "deploy@10.0.0.9:");
        var upload = IndexOf(calls, "scp ", "deploy@10.0.0.5:inverseproxy-deploy/cache.bin");
        var install = IndexOf(calls, "ssh ", "deploy@10.0.0.5", "install.sh --seed-cache inverseproxy-deploy/cache.bin");
        Assert.True(read < download && download < upload && upload < install, string.Join('\n', calls));
    }

    [Fact]
    public void SnapshotFrom_LocalCopy_IsReadableByTheUserOnly()
    {
        var result = _harness.Run("--host", "deploy@10.0.0.5", "--snapshot-from", "deploy@10.0.0.9");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["scp-mode 600"], _harness.Calls("scp-mode"));
    }

    [Theory]
    [InlineData("127.0.0.1:3000")]
    [InlineData("origin.internal:80, localhost:3000")]
    [InlineData("[::1]:3000")]
    public void Config_LoopbackTargets_WarnsButDeploys(string targets)
    {
        _harness.WriteFile("work/loop.conf", $"targets = {targets}\n");

        var result = _harness.Run("--host", "deploy@10.0.0.5", "--config", "loop.conf");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: targets in loop.conf include", result.StdErr);
        Assert.Contains("a loopback address", result.StdErr);
    }

    [Fact]
    public void Config_RemoteTargets_NoLoopbackWarning()
    {
        _harness.WriteFile("work/remote.conf", "targets = 10.0.0.20:80, origin.internal:8080\n");

        var result = _harness.Run("--host", "deploy@10.0.0.5", "--config", "remote.conf");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("loopback", result.StdErr);
    }

    [Fact]
    public void Config_WithoutPortKey_UsesDefaultPort8080()
    {
        _harness.WriteFile("work/other.conf", "targets = 127.0.0.1:3000\nadmin_port = 9901\n");

        var result = _harness.Run("--host", "deploy@10.0.0.5", "--config", "other.conf");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("http://10.0.0.5:8080/", result.StdOut);
        Assert.Contains(_harness.Calls("scp"), call => call.Contains("other.conf deploy@10.0.0.5:inverseproxy-deploy/proxy.conf", StringComparison.Ordinal));
    }

    private static int IndexOf(IReadOnlyList<string> calls, string program, params string[] fragments)
    {
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i].StartsWith(program, StringComparison.Ordinal)
                && fragments.All(fragment => calls[i].Contains(fragment, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        Assert.Fail($"no {program}call with [{string.Join(", ", fragments)}] in:\n{string.Join('\n', calls)}");
        return -1;
    }
}
