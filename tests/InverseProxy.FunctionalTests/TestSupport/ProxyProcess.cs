using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// The built InverseProxy.dll run as a real process with <c>dotnet</c>: arguments as given, stdout and stderr
/// captured, SIGTERM sent the way an init system would.
/// </summary>
internal sealed partial class ProxyProcess : IDisposable
{
    private static readonly TimeSpan s_exitWait = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new(); // guarded by itself
    private readonly StringBuilder _stderr = new(); // guarded by itself

    private ProxyProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("INVERSEPROXY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>InverseProxy.dll next to the test assembly, else under src/InverseProxy/bin.</summary>
    public static string DllPath { get; } = FindDll();

    public int Pid => _process.Id;

    public string StdOut => Snapshot(_stdout);

    public string StdErr => Snapshot(_stderr);

    public string[] StdErrLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static ProxyProcess Start(params string[] args) => new(args);

    /// <summary>Runs to completion (bounded) and returns the finished process.</summary>
    public static ProxyProcess Run(params string[] args)
    {
        var process = new ProxyProcess(args);
        if (!process.WaitForExit())
        {
            process.Dispose();
            throw new TimeoutException($"InverseProxy {string.Join(' ', args)} did not exit");
        }
        return process;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Writes proxy.conf into <paramref name="directory"/>: <paramref name="settings"/> plus loopback, files in that
    /// directory and a short shutdown for whatever keys the settings leave out. Returns its path.
    /// </summary>
    public static string WriteConfig(string directory, string settings)
    {
        string[] defaults = ["bind_address = 127.0.0.1", "path_to_persistence = cache.bin", "path_to_log = proxy.log", "shutdown_timeout = 5s"];
        var lines = settings.Split('\n').Concat(defaults.Where(d => !settings.Contains(d[..d.IndexOf(' ')] + " =")));
        string path = Path.Combine(directory, "proxy.conf");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Waits for the process to exit and its output to be read; false if it is still running.</summary>
    public bool WaitForExit()
    {
        if (!_process.WaitForExit(s_exitWait))
        {
            return false;
        }
        _process.WaitForExit(); // drains the redirected streams
        return true;
    }

    /// <summary>The port from the "Listening on" line the proxy prints once it accepts connections.</summary>
    public int WaitForListeningPort()
    {
        int port = 0;
        bool found = Poll.Until(() =>
        {
            var match = ListeningLine().Match(StdOut);
            port = match.Success ? int.Parse(match.Groups[1].Value) : 0;
            return match.Success || _process.HasExited;
        }, s_exitWait);
        return found && port > 0 ? port : throw new InvalidOperationException($"proxy did not start listening; stderr: {StdErr}; stdout: {StdOut}");
    }

    /// <summary>Sends SIGTERM (Process.Kill would send SIGKILL, which cannot be handled).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString()]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (target)
        {
            target.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder source)
    {
        lock (source)
        {
            return source.ToString();
        }
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private static string FindDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "InverseProxy.dll");
        if (File.Exists(beside))
        {
            return beside;
        }
        // bin/<Configuration>/net10.0/ of the test project mirrors the src project's output folder.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = output.Parent!.Name;
        string root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string built = Path.Combine(root, "src", "InverseProxy", "bin", configuration, "net10.0", "InverseProxy.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("InverseProxy.dll not built", built);
    }

    [GeneratedRegex(@"Listening on [^\s]*:(\d+)")]
    private static partial Regex ListeningLine();
}
