namespace InverseProxy.Tests.Deploy;

/// <summary>deploy-ec2.sh --count N against stub aws/ssh/scp/dotnet: N instances, each installed, and HAProxy's server lines.</summary>
public sealed class DeployEc2FleetTests : IDisposable
{
    private readonly DeployHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Launch_CountThree_OneRunInstancesCallThenEachInstanceInstalled()
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--security-group", "sg-1", "--count", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var launch = Assert.Single(_harness.Calls("aws"), call => call.Contains("run-instances", StringComparison.Ordinal));
        Assert.Contains("--count 3", launch);
        var wait = Assert.Single(_harness.Calls("aws"), call => call.Contains("wait instance-running", StringComparison.Ordinal));
        Assert.Contains("--instance-ids i-0123456789abcdef0 i-0123456789abcdef1 i-0123456789abcdef2", wait);
        for (int i = 0; i < 3; i++)
        {
            string target = $"admin@ec2-203-0-113-1{i}.eu-west-1.compute.amazonaws.com";
            Assert.Single(_harness.Calls("ssh"), call => call.Contains(target + " sudo bash inverseproxy-deploy/install.sh", StringComparison.Ordinal));
        }
        Assert.Single(_harness.Calls("dotnet"));
    }

    [Fact]
    public void Launch_CountThree_PrintsHaproxyServerLinesWithPrivateAddressesAndAdminCheck()
    {
        _harness.WriteFile("work/proxy.conf", "port = 9090\ntargets = 10.1.1.1:3000\nadmin_port = 9091\n");

        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--security-group", "sg-1", "--count", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var servers = result.StdOut.Split('\n').Where(l => l.TrimStart().StartsWith("server ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                "    server inverseproxy-1 10.0.0.10:9090 check port 9091",
                "    server inverseproxy-2 10.0.0.11:9090 check port 9091",
                "    server inverseproxy-3 10.0.0.12:9090 check port 9091",
            ],
            servers);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    [InlineData("two")]
    public void Launch_CountOutOfRange_RefusedBeforeAnyCall(string count)
    {
        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--security-group", "sg-1", "--count", count);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--count must be a number from 1 to 20 (was '{count}')", result.StdErr);
        Assert.Empty(_harness.Calls());
    }

    [Fact]
    public void Host_WithCount_Refused()
    {
        var result = _harness.Run("--host", "10.0.0.5", "--count", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--count only apply to a launch", result.StdErr);
    }
}
