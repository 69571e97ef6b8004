namespace InverseProxy.Tests.Deploy;

/// <summary>What a finished script printed and returned.</summary>
internal sealed record ScriptResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    /// <summary>Everything the script printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
