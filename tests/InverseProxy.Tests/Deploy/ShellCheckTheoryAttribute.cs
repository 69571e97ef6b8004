namespace InverseProxy.Tests.Deploy;

/// <summary>A theory skipped, with the reason, where shellcheck is not installed (CI installs it).</summary>
internal sealed class ShellCheckTheoryAttribute : TheoryAttribute
{
    public ShellCheckTheoryAttribute()
    {
        if (Bash.Which("shellcheck") is null)
        {
            Skip = "shellcheck is not installed (apt-get install -y shellcheck); CI installs it and runs this check";
        }
    }
}
