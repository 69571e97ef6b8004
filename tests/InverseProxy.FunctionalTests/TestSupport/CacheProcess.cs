using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// The built proxy as a real OS process (<c>dotnet InverseProxy.dll --config …</c>), so it can be killed with SIGKILL.
/// Listens on 127.0.0.1 with a port it picks itself; the port is read from its "Listening on" log line.
/// </summary>
internal sealed partial class CacheProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private CacheProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Console output so far (stdout and stderr interleaved, line by line).</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>Writes proxy.conf into <paramref name="directory"/> (cache file and log beside it) and starts the proxy.</summary>
    public static CacheProcess Start(string directory, int targetPort, string unitTime)
    {
        string config = Path.Combine(directory, "proxy.conf");
        File.WriteAllLines(config,
        [
            "port = 0",
            "bind_address = 127.0.0.1",
            $"targets = 127.0.0.1:{targetPort}",
            "path_to_persistence = cache.bin",
            "path_to_log = proxy.log",
            $"unit_time = {unitTime}",
            "shutdown_timeout = 2s",
            "log_level = Information",
        ]);
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        info.ArgumentList.Add(LocateProxyDll());
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var started = new CacheProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
        started.WaitUntilListening(TimeSpan.FromSeconds(30));
        return started;
    }

    /// <summary>InverseProxy.dll next to the test assembly, else under src/InverseProxy/bin/&lt;Configuration&gt;/net10.0/.</summary>
    public static string LocateProxyDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "InverseProxy.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "InverseProxy.runtimeconfig.json")))
        {
            return beside;
        }
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "InverseProxy", "bin", configuration, "net10.0", "InverseProxy.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"InverseProxy.dll not found beside {AppContext.BaseDirectory} or under src/InverseProxy/bin/{configuration}/net10.0/; build the solution first");
    }

    public bool OutputContains(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGKILL: no signal handler, no final flush.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private void WaitUntilListening(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var match = _output.Select(line => ListeningLine().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                Port = int.Parse(match.Groups[1].Value);
                return;
            }
            if (_process.HasExited)
            {
                break;
            }
            Thread.Sleep(20);
        }
        Kill();
        throw new InvalidOperationException($"the proxy did not start listening; output:\n{string.Join('\n', _output)}");
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
