namespace InverseProxy.Tests.Deploy;

public sealed class ShellCheckTests
{
    // -x follows the scripts' `source` of bench/lib.sh, so what they use of it is checked too.
    [ShellCheckTheory]
    [InlineData("deploy-ec2.sh")]
    [InlineData("deploy/install.sh")]
    [InlineData("test.sh")]
    [InlineData(".ci/run")]
    [InlineData("bench/lib.sh")]
    [InlineData("bench/run.sh")]
    [InlineData("bench/baseline.sh")]
    [InlineData("bench/alloc.sh")]
    [InlineData("bench/concurrency.sh")]
    [InlineData("bench/forward.sh")]
    [InlineData("bench/memory.sh")]
    [InlineData("bench/persistence.sh")]
    [InlineData("bench/shared.sh")]
    [InlineData("bench/tunnels.sh")]
    [InlineData("bench/websocket.sh")]
    public void ShellCheck_Script_ReportsNothing(string relativePath)
    {
        var result = Bash.RunProgram("shellcheck", ["--shell=bash", "--severity=style", "-x", RepoRoot.File(relativePath)], RepoRoot.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void ShellCheck_CoversEveryBenchScript()
    {
        var listed = typeof(ShellCheckTests).GetMethod(nameof(ShellCheck_Script_ReportsNothing))!
            .GetCustomAttributes(typeof(Xunit.InlineDataAttribute), false)
            .Cast<Xunit.InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0])
            .ToHashSet();
        var unlisted = Directory.GetFiles(RepoRoot.File("bench"), "*.sh")
            .Select(f => "bench/" + Path.GetFileName(f))
            .Where(script => !listed.Contains(script))
            .ToList();

        Assert.True(unlisted.Count == 0, "not shellchecked: " + string.Join(", ", unlisted));
    }
}
