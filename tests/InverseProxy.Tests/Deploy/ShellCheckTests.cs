namespace InverseProxy.Tests.Deploy;

public sealed class ShellCheckTests
{
    /// <summary>The deploy and test scripts, and every bench script there is (a new one is checked without listing it).</summary>
    public static TheoryData<string> Scripts()
    {
        var scripts = new TheoryData<string> { "deploy-ec2.sh", "deploy/install.sh", "test.sh", ".ci/run" };
        foreach (var file in Directory.GetFiles(RepoRoot.File("bench"), "*.sh").Order(StringComparer.Ordinal))
        {
            scripts.Add("bench/" + Path.GetFileName(file));
        }
        return scripts;
    }

    // -x follows the bench scripts' `source` of bench/lib.sh, so what they use of it is checked too.
    [ShellCheckTheory]
    [MemberData(nameof(Scripts))]
    public void ShellCheck_Script_ReportsNothing(string relativePath)
    {
        var result = Bash.RunProgram("shellcheck", ["--shell=bash", "--severity=style", "-x", RepoRoot.File(relativePath)], RepoRoot.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
