using System.Diagnostics;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>Runs the curl command line client and returns what it printed and its exit code.</summary>
internal static class Curl
{
    public static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Proxy settings of the environment must not decide where the request goes: only -x does.
        start.ArgumentList.Add("--noproxy");
        start.ArgumentList.Add("");
        start.ArgumentList.Add("--max-time");
        start.ArgumentList.Add("20");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.GetAwaiter().GetResult());
    }
}
