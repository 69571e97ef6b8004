using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

/// <summary>
/// The built InverseProxy.dll run with <c>dotnet</c> against a proxy.conf in a temp folder, so tests can edit the
/// file, move the log and send SIGHUP / SIGUSR1 the way an operator would.
/// </summary>
internal sealed partial class SignalledProxy : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SignalledProxy(string directory, string configPath)
    {
        Directory = directory;
        ConfigPath = configPath;
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add(FindDll());
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("INVERSEPROXY_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    public string LogPath => Path.Combine(Directory, "proxy.log");

    public int Port { get; private set; }

    public string Output => string.Join('\n', _output);

    /// <summary>Writes proxy.conf (loopback, port 0, files beside it, plus <paramref name="settings"/>) and starts the proxy.</summary>
    public static SignalledProxy Start(params string[] settings)
    {
        string directory = TempDirectory.Create("ops");
        string config = Path.Combine(directory, "proxy.conf");
        File.WriteAllLines(config, ConfigLines(settings));
        var proxy = new SignalledProxy(directory, config);
        try
        {
            proxy.WaitForListening();
        }
        catch
        {
            proxy.Dispose();
            throw;
        }
        return proxy;
    }

    /// <summary>Replaces proxy.conf with the base settings plus <paramref name="settings"/>.</summary>
    public void RewriteConfig(params string[] settings) => File.WriteAllLines(ConfigPath, ConfigLines(settings));

    /// <summary>Sends a signal by name (HUP, USR1) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} failed");
        }
    }

    /// <summary>True once the console output has <paramref name="count"/> lines containing <paramref name="text"/>.</summary>
    public bool WaitForOutput(string text, int count = 1) =>
        Poll.Until(() => _output.Count(l => l.Contains(text, StringComparison.Ordinal)) >= count || _process.HasExited, s_wait)
        && !_process.HasExited;

    /// <summary>One GET on a fresh connection; returns the response.</summary>
    public WireMessage Get(string path)
    {
        using var client = new RawClient(Port);
        return client.Exchange($"GET {path} HTTP/1.1\r\nHost: ops.test\r\nConnection: close\r\n\r\n");
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

    private static IEnumerable<string> ConfigLines(string[] settings)
    {
        string[] defaults = ["port = 0", "bind_address = 127.0.0.1", "path_to_persistence = cache.bin", "path_to_log = proxy.log", "shutdown_timeout = 2s"];
        var given = settings.Select(s => s.Split('=')[0].Trim()).ToHashSet();
        return defaults.Where(d => !given.Contains(d.Split('=')[0].Trim())).Concat(settings);
    }

    private void WaitForListening()
    {
        int port = 0;
        bool found = Poll.Until(() =>
        {
            var match = _output.Select(l => ListeningLine().Match(l)).FirstOrDefault(m => m.Success);
            port = match is null ? 0 : int.Parse(match.Groups[1].Value);
            return port > 0 || _process.HasExited;
        }, s_wait);
        if (!found || port == 0)
        {
            throw new InvalidOperationException($"proxy did not start listening; output:\n{Output}");
        }
        Port = port;
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
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
        return File.Exists(beside) ? beside : throw new FileNotFoundException("InverseProxy.dll is not beside the tests", beside);
    }

    [GeneratedRegex(@"Listening on [^\s]*:(\d+)")]
    private static partial Regex ListeningLine();
}
