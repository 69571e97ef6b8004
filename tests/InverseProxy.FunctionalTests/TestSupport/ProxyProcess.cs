using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// The built InverseProxy.dll run as a real OS process with <c>dotnet</c>, the way an init system or an operator runs
/// it: stdout and stderr captured line by line, signals sent with kill(1), SIGKILL without any handler running.
/// </summary>
internal sealed partial class ProxyProcess : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly List<(bool IsError, string Text)> _lines = new(); // guarded by itself

    private ProxyProcess(IEnumerable<string> args, string? directory)
    {
        Directory = directory;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? "",
        };
        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The proxy reads INVERSEPROXY_<KEY> overrides; the test's own environment must not change its settings.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("INVERSEPROXY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(isError: false, e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(isError: true, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The folder holding proxy.conf, the cache file and the log, when started by <see cref="StartListening"/>.</summary>
    public string? Directory { get; }

    public string ConfigPath => ProxyConfigFile.PathIn(Directory ?? throw new InvalidOperationException("started without a folder"));

    public string LogPath => Path.Combine(Directory ?? throw new InvalidOperationException("started without a folder"), "proxy.log");

    /// <summary>The port from the "Listening on" line; set by <see cref="WaitForListeningPort"/>.</summary>
    public int Port { get; private set; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output so far, each line ending in a newline.</summary>
    public string StdOut => string.Concat(Lines(isError: false).Select(l => l + "\n"));

    /// <summary>Standard error so far, each line ending in a newline.</summary>
    public string StdErr => string.Concat(Lines(isError: true).Select(l => l + "\n"));

    public string[] StdErrLines => Lines(isError: true).Where(l => l.Length > 0).ToArray();

    /// <summary>Standard output and error so far, interleaved as they arrived, one line each.</summary>
    public string Output => string.Join('\n', Lines(isError: null));

    /// <summary>Starts the proxy with <paramref name="args"/> and returns at once.</summary>
    public static ProxyProcess Start(params string[] args) => new(args, directory: null);

    /// <summary>Runs the proxy to completion (bounded) and returns the finished process.</summary>
    public static ProxyProcess Run(params string[] args)
    {
        var process = new ProxyProcess(args, directory: null);
        if (!process.WaitForExit())
        {
            process.Dispose();
            throw new TimeoutException($"InverseProxy {string.Join(' ', args)} did not exit");
        }
        return process;
    }

    /// <summary>
    /// Writes proxy.conf into <paramref name="directory"/> (see <see cref="ProxyConfigFile.Write"/>), starts the proxy on
    /// it from that folder and returns once it accepts connections on <see cref="Port"/>.
    /// </summary>
    public static ProxyProcess StartListening(string directory, params string[] settings)
    {
        string config = ProxyConfigFile.Write(directory, settings);
        var process = new ProxyProcess(["--config", config], directory);
        try
        {
            process.WaitForListeningPort();
        }
        catch
        {
            process.Dispose();
            throw;
        }
        return process;
    }

    /// <summary>Replaces proxy.conf with the defaults plus <paramref name="settings"/> (to be picked up by SIGHUP).</summary>
    public void RewriteConfig(params string[] settings) => ProxyConfigFile.Write(Directory!, settings);

    public bool OutputContains(string text) => Lines(isError: null).Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>True once the output has <paramref name="count"/> lines containing <paramref name="text"/> and the process still runs.</summary>
    public bool WaitForOutput(string text, int count = 1) =>
        Poll.Until(() => Lines(isError: null).Count(l => l.Contains(text, StringComparison.Ordinal)) >= count || HasExited, s_wait)
        && !HasExited;

    /// <summary>Waits for the process to exit and its output to be read; false if it is still running.</summary>
    public bool WaitForExit()
    {
        if (!_process.WaitForExit(s_wait))
        {
            return false;
        }
        _process.WaitForExit(); // drains the redirected streams
        return true;
    }

    /// <summary>Waits for the "Listening on" line the proxy prints once it accepts connections; returns its port.</summary>
    public int WaitForListeningPort()
    {
        Poll.Until(() => (Port = ListeningPort()) > 0 || HasExited, s_wait);
        return Port > 0 ? Port : throw new InvalidOperationException($"proxy did not start listening; output:\n{Output}");
    }

    /// <summary>Sends SIGTERM, as an init system stops a service (Process.Kill would send SIGKILL).</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (TERM, HUP, USR1, ...) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Pid.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} {Pid} failed");
        }
    }

    /// <summary>SIGKILL: no signal handler runs, no final cache flush.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
    }

    /// <summary>One GET on a fresh connection that asks to be closed; returns the response.</summary>
    public WireMessage Get(string path) => CacheProbe.Get(Port, path, "Connection: close");

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Collect(bool isError, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add((isError, line));
        }
    }

    /// <summary>A copy of the lines so far from stderr (true), stdout (false) or both (null).</summary>
    private List<string> Lines(bool? isError)
    {
        lock (_lines)
        {
            return _lines.Where(l => isError is null || l.IsError == isError).Select(l => l.Text).ToList();
        }
    }

    private int ListeningPort()
    {
        var match = Lines(isError: null).Select(l => ListeningLine().Match(l)).FirstOrDefault(m => m.Success);
        return match is null ? 0 : int.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@"Listening on [^\s]*:(\d+)")]
    private static partial Regex ListeningLine();
}
