using System.Diagnostics;

namespace InverseProxy.Tests.Deploy;

/// <summary>Runs a bash script (or another program) with a controlled environment and collects its output.</summary>
internal static class Bash
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    // Variables the scripts read: inherited values would make results depend on the developer's shell.
    private static readonly string[] Scrubbed =
    [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "DESTDIR",
        "INVERSEPROXY_BUNDLE", "INVERSEPROXY_SSH_USER", "INVERSEPROXY_SSH_KEY",
    ];

    public static ScriptResult Run(
        string script,
        IEnumerable<string> args,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null) =>
        RunProgram("bash", [script, .. args], workingDirectory, environment);

    public static ScriptResult RunProgram(
        string program,
        IEnumerable<string> args,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in Scrubbed)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {Limit}");
        }

        return new ScriptResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Which(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
