using System.Diagnostics;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A real HAProxy running the shipped deploy/haproxy.cfg, with its listener moved to 127.0.0.1:&lt;free port&gt; and
/// its servers replaced by the given proxies (each health-checked on its own admin port). Killed by pid on Dispose.
/// </summary>
internal sealed class HaproxyFront : IDisposable
{
    private readonly Process _process;

    private HaproxyFront(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static HaproxyFront Start(IReadOnlyList<ProxyInstance> proxies)
    {
        string directory = TempDirectory.Create("haproxy");
        for (int attempt = 1; ; attempt++)
        {
            int port = UnusedPort.Find();
            string config = Path.Combine(directory, "haproxy.cfg");
            File.WriteAllText(config, Config(port, proxies));
            var process = Process.Start(new ProcessStartInfo(FindHaproxy())
            {
                ArgumentList = { "-db", "-f", config },
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("could not start haproxy");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // An accepting port may be another test's: HAProxy that lost the port exits a moment later.
            if (Poll.Until(() => process.HasExited || !UnusedPort.Refuses(port), TimeSpan.FromSeconds(10))
                && !process.HasExited && !process.WaitForExit(200))
            {
                return new HaproxyFront(process, port);
            }
            process.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException("haproxy did not start listening with " + config);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.WaitForExit(10_000);
        _process.Dispose();
    }

    /// <summary>The shipped file, with the listener on loopback and one server line per proxy.</summary>
    private static string Config(int port, IReadOnlyList<ProxyInstance> proxies)
    {
        var lines = File.ReadAllLines(ShippedConfig())
            .Where(line => !line.TrimStart().StartsWith("server ", StringComparison.Ordinal))
            .Select(line => line.Trim() == "bind :80" ? $"    bind 127.0.0.1:{port}" : line)
            .ToList();
        for (int i = 0; i < proxies.Count; i++)
        {
            var admin = proxies[i].Server.AdminEndPoint ?? throw new InvalidOperationException("the proxy has no admin port");
            lines.Add($"    server inverseproxy-{i + 1} 127.0.0.1:{proxies[i].Port} port {admin.Port}");
        }
        return string.Join('\n', lines) + "\n";
    }

    private static string ShippedConfig()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "deploy", "haproxy.cfg");
            if (File.Exists(Path.Combine(dir.FullName, "InverseProxy.sln")))
            {
                return File.Exists(candidate) ? candidate : throw new FileNotFoundException("deploy/haproxy.cfg is missing", candidate);
            }
        }
        throw new FileNotFoundException("the repository root (InverseProxy.sln) is not above " + AppContext.BaseDirectory);
    }

    private static string FindHaproxy()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/local/sbin").Select(dir => Path.Combine(dir, "haproxy"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed; test.sh installs it with 'apt-get install -y haproxy' (as root) — install it locally the same way");
    }
}
