using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Deploy;

/// <summary>
/// The installed layout actually runs: the release next to these tests is installed with install.sh into a
/// temporary root, started with the installed unit's ExecStart line, and answers a request.
/// </summary>
public sealed class InstalledServiceEndToEndTests : IDisposable
{
    private static readonly string[] ReleaseFiles =
        ["InverseProxy", "InverseProxy.dll", "InverseProxy.runtimeconfig.json", "InverseProxy.deps.json",
            "StackExchange.Redis.dll", "RESPite.dll", "System.IO.Hashing.dll"];

    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        StopStubService();
        _dir.Dispose();
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task InstalledUnit_ExecStartWithInstalledConfig_AnswersGetWithStatusLine()
    {
        var root = _dir.Combine("root");
        var port = FreePort();
        _dir.WriteFile("proxy.conf", $"port = {port}\ntargets = 127.0.0.1:{FreePort()}\n"
            + "path_to_persistence = state/cache.bin\npath_to_log = logs/proxy.log\n");
        var install = Bash.Run(RepoRoot.File("deploy/install.sh"),
            ["--bundle", CopyRelease(), "--config", _dir.Combine("proxy.conf"), "--unit", RepoRoot.File("deploy/inverseproxy.service")],
            _dir.Path, new Dictionary<string, string> { ["DESTDIR"] = root });
        Assert.True(install.ExitCode == 0, install.ToString());
        var unit = File.ReadAllLines(Path.Combine(root, "etc/systemd/system/inverseproxy.service"));
        var command = Directive(unit, "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        using var proxy = Start(command, ["--port", port.ToString()], Directive(unit, "WorkingDirectory"));
        try
        {
            var statusLine = await GetStatusLineAsync(proxy, port);

            Assert.Matches(@"^HTTP/1\.[01] [1-5][0-9]{2}( |$)", statusLine);
            Assert.True(File.Exists(Path.Combine(root, "var/log/inverseproxy/proxy.log")), "no log at the installed path_to_log");
        }
        finally
        {
            proxy.Stop();
        }
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Install_NewReleaseNeverHealthy_RollsBackToThePreviousReleaseWhichAnswers()
    {
        var root = _dir.Combine("root");
        var port = FreePort();
        _dir.WriteFile("proxy.conf", $"port = {port}\ntargets = 127.0.0.1:{FreePort()}\nshutdown_timeout = 1s\n");
        _dir.WriteFile("bin/systemctl", ServiceManagerStub, executable: true);
        var good = CopyRelease("bundle");
        AssertSucceeded(InstallWithServiceManager(root, good));
        var broken = CopyRelease("broken");
        _dir.WriteFile("broken/InverseProxy", "#!/bin/sh\ncase \"$*\" in *--check*) exit 0 ;; esac\nexit 1\n", executable: true);

        var result = InstallWithServiceManager(root, broken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("rolled back to the previous release", result.StdErr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(good, "InverseProxy")), File.ReadAllBytes(Path.Combine(root, "opt/inverseproxy/InverseProxy")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt/inverseproxy.previous")));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Install_FirstReleaseNeverHealthy_FailsSayingNothingToRollBackTo()
    {
        var root = _dir.Combine("root");
        _dir.WriteFile("proxy.conf", $"port = {FreePort()}\ntargets = 127.0.0.1:{FreePort()}\n");
        _dir.WriteFile("bin/systemctl", ServiceManagerStub, executable: true);
        var broken = CopyRelease("broken");
        _dir.WriteFile("broken/InverseProxy", "#!/bin/sh\ncase \"$*\" in *--check*) exit 0 ;; esac\nexit 1\n", executable: true);

        var result = InstallWithServiceManager(root, broken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no previous release could be brought back", result.StdErr);
    }

    /// <summary>
    /// Stands in for systemctl: (re)start runs the installed unit's ExecStart in the background, is-active asks
    /// whether that process is alive, stop ends it. Enough for install.sh's restart, health wait and rollback.
    /// </summary>
    private const string ServiceManagerStub = """
        #!/usr/bin/env bash
        unit="$DESTDIR/etc/systemd/system/inverseproxy.service"
        stop() {
            if [[ -f "$STUB_PID" ]]; then
                pid=$(cat "$STUB_PID")
                kill "$pid" 2>/dev/null
                while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
                rm -f "$STUB_PID"
            fi
        }
        case "$1" in
            start | restart)
                stop
                read -r -a command < <(sed -n 's/^ExecStart=//p' "$unit")
                (cd "$(sed -n 's/^WorkingDirectory=//p' "$unit")" && exec "${command[@]}") </dev/null >>"$STUB_PID.log" 2>&1 &
                echo $! >"$STUB_PID"
                ;;
            stop) stop ;;
            is-active) [[ -f "$STUB_PID" ]] && kill -0 "$(cat "$STUB_PID")" 2>/dev/null ;;
        esac
        exit $?
        """;

    private string PidFile => _dir.Combine("service.pid");

    private ScriptResult InstallWithServiceManager(string root, string bundle)
    {
        var environment = new Dictionary<string, string>
        {
            ["DESTDIR"] = root,
            ["SYSTEMCTL"] = _dir.Combine("bin/systemctl"),
            ["STUB_PID"] = PidFile,
            ["HEALTH_TIMEOUT"] = "10",
        };
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(host)!;
        }

        return Bash.Run(RepoRoot.File("deploy/install.sh"),
            ["--bundle", bundle, "--config", _dir.Combine("proxy.conf"), "--unit", RepoRoot.File("deploy/inverseproxy.service")],
            _dir.Path, environment);
    }

    private void StopStubService()
    {
        if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static void AssertSucceeded(ScriptResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private string CopyRelease(string folder = "bundle")
    {
        var bundle = Directory.CreateDirectory(_dir.Combine(folder)).FullName;
        foreach (var name in ReleaseFiles)
        {
            var source = Path.Combine(AppContext.BaseDirectory, name);
            Assert.True(File.Exists(source), $"{source} is missing: build src/InverseProxy first");
            File.Copy(source, Path.Combine(bundle, name));
        }

        return bundle;
    }

    private static string Directive(string[] unit, string name)
    {
        var line = Assert.Single(unit, line => line.StartsWith(name + "=", StringComparison.Ordinal));
        return line[(name.Length + 1)..];
    }

    private static RunningProxy Start(string[] command, string[] extraArgs, string workingDirectory)
    {
        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1).Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        // The release beside the tests is framework-dependent: point its apphost at the runtime running us.
        var host = Environment.ProcessPath;
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(host)!;
        }

        return new RunningProxy(Process.Start(info)!);
    }

    private static async Task<string> GetStatusLineAsync(RunningProxy proxy, int port)
    {
        using var client = await ConnectAsync(proxy, port);
        using var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        var request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"u8.ToArray();
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync() ?? "";
    }

    // Polls until the proxy accepts; the deadline only bounds a hang, nothing is asserted about time.
    private static async Task<TcpClient> ConnectAsync(RunningProxy proxy, int port)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (proxy.Process.HasExited)
            {
                Assert.Fail($"the proxy exited with code {proxy.Process.ExitCode} before accepting connections\n{proxy.Output()}");
            }

            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return client;
            }
            catch (SocketException) when (waited.Elapsed < StartupLimit)
            {
                client.Dispose();
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The started proxy; its output is drained so a full pipe never blocks it.</summary>
    private sealed class RunningProxy(Process process) : IDisposable
    {
        private readonly Task<string> _stdout = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _stderr = process.StandardError.ReadToEndAsync();

        public Process Process { get; } = process;

        public void Stop()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.WaitForExit();
        }

        /// <summary>What the proxy printed; only meaningful once it has exited.</summary>
        public string Output()
        {
            Process.WaitForExit();
            return $"--- stdout\n{_stdout.GetAwaiter().GetResult()}\n--- stderr\n{_stderr.GetAwaiter().GetResult()}";
        }

        public void Dispose() => Process.Dispose();
    }
}
