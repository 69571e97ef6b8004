namespace InverseProxy.Tests.Deploy;

public sealed class ShellCheckTests
{
    [ShellCheckTheory]
    [InlineData("deploy-ec2.sh")]
    [InlineData("deploy/install.sh")]
    public void ShellCheck_DeployScript_ReportsNothing(string relativePath)
    {
        var result = Bash.RunProgram("shellcheck", ["--shell=bash", "--severity=style", RepoRoot.File(relativePath)], RepoRoot.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
