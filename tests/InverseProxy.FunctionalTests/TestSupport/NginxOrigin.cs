using System.Diagnostics;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A real nginx serving static files from a temp folder on 127.0.0.1:&lt;free port&gt; with <c>expires 60s</c>
/// (Cache-Control: max-age=60). Runs in the foreground as one process and is killed by pid on Dispose. Its access
/// log has one line per request, so tests can count what reached it.
/// </summary>
internal sealed class NginxOrigin : IDisposable
{
    private readonly Process _process;

    private NginxOrigin(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    public string WebRoot => Path.Combine(Directory, "www");

    /// <summary>Requests nginx has answered (lines in its access log; nginx writes them unbuffered).</summary>
    public int RequestCount
    {
        get
        {
            string log = Path.Combine(Directory, "access.log");
            return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
        }
    }

    /// <summary>Starts nginx serving <paramref name="files"/> (name → bytes) from its web root.</summary>
    public static NginxOrigin Start(IReadOnlyDictionary<string, byte[]> files)
    {
        string nginx = FindNginx();
        string directory = TempDirectory.Create("nginx");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "www"));
        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(directory, "www", name), bytes);
        }
        for (int attempt = 1; ; attempt++)
        {
            int port = UnusedPort.Find();
            string config = Path.Combine(directory, "nginx.conf");
            File.WriteAllText(config, Config(directory, port));
            File.Delete(Path.Combine(directory, "nginx.pid")); // left by an attempt that lost its port
            var process = Process.Start(new ProcessStartInfo(nginx)
            {
                ArgumentList = { "-e", Path.Combine(directory, "error.log"), "-p", directory + "/", "-c", config },
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("could not start nginx");
            if (WaitUntilListening(process, directory, port))
            {
                return new NginxOrigin(process, directory, port);
            }
            process.Dispose();
            if (attempt == 3)
            {
                string errors = File.Exists(Path.Combine(directory, "error.log")) ? File.ReadAllText(Path.Combine(directory, "error.log")) : "";
                throw new InvalidOperationException($"nginx did not start listening; error.log:\n{errors}");
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

    private static string FindNginx()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/local/sbin").Select(dir => Path.Combine(dir, "nginx"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed (not on PATH nor in /usr/sbin); CI installs it with 'apt-get install -y nginx' before the functional tests — install it locally the same way");
    }

    private static string Config(string directory, int port) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 64; }
        http {
            access_log {{directory}}/access.log;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            default_type application/octet-stream;
            server {
                listen 127.0.0.1:{{port}};
                root {{directory}}/www;
                location / { expires 60s; }
            }
        }
        """;

    /// <summary>
    /// Whether this nginx listens on <paramref name="port"/>. A port that accepts is not proof: another test may have
    /// taken the port between its discovery and nginx's bind, and nginx then exits a moment later. nginx writes its
    /// pid file only after binding its listening sockets, so the pid file and an accepting port together are.
    /// </summary>
    private static bool WaitUntilListening(Process process, string directory, int port)
    {
        string pidFile = Path.Combine(directory, "nginx.pid");
        return Poll.Until(() => process.HasExited || (File.Exists(pidFile) && !UnusedPort.Refuses(port)), TimeSpan.FromSeconds(10))
            && !process.HasExited;
    }
}
