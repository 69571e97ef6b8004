using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A real redis-server on 127.0.0.1:&lt;free port&gt;, in the foreground, without persistence; killed by pid on
/// <see cref="Kill"/> and Dispose. <see cref="Restart"/> starts it again, empty, on the same port.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>redis</c> setting that points at this server.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static RedisServer Start()
    {
        string directory = TempDirectory.Create("redis");
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(directory, UnusedPort.Find());
            if (server.Launch())
            {
                return server;
            }
            if (attempt == 3)
            {
                throw new InvalidOperationException("redis-server did not start listening; log:\n" + server.ReadLog());
            }
        }
    }

    /// <summary>Kills the server (SIGKILL): clients see their connections reset and new connects refused.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
        }
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Stops the server (SIGSTOP): connections stay open and nothing is answered, as with a hung server.</summary>
    public void Pause()
    {
        using var stop = Process.Start("kill", ["-STOP", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        stop.WaitForExit(10_000);
    }

    /// <summary>Starts it again on the same port (a port just released is free again on loopback).</summary>
    public void Restart()
    {
        Kill();
        if (!Poll.Until(Launch, TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("redis-server did not come back on port " + Port + "; log:\n" + ReadLog());
        }
    }

    /// <summary>Runs one command with redis-cli-free RESP over a socket and returns the raw reply.</summary>
    public string Command(params string[] args)
    {
        using var client = new TcpClient("127.0.0.1", Port);
        var request = new StringBuilder().Append('*').Append(args.Length).Append("\r\n");
        foreach (string arg in args)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(arg)).Append("\r\n").Append(arg).Append("\r\n");
        }
        var stream = client.GetStream();
        stream.Write(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[64 * 1024];
        int read = stream.Read(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public void Dispose() => Kill();

    private bool Launch()
    {
        var process = Process.Start(new ProcessStartInfo(FindRedis())
        {
            ArgumentList =
            {
                "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _directory,
                "--logfile", Path.Combine(_directory, "redis.log"),
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("could not start redis-server");
        // An accepting port is not proof: another test may hold it; redis-server then exits a moment later.
        if (Poll.Until(() => process.HasExited || !UnusedPort.Refuses(Port), TimeSpan.FromSeconds(10)) && !process.HasExited
            && Poll.Until(() => process.HasExited || Pong(), TimeSpan.FromSeconds(5)) && !process.HasExited)
        {
            _process = process;
            return true;
        }
        if (!process.HasExited)
        {
            process.Kill();
        }
        process.Dispose();
        return false;
    }

    private bool Pong()
    {
        try
        {
            return Command("PING").StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private string ReadLog()
    {
        string log = Path.Combine(_directory, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    private static string FindRedis()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/local/bin").Select(dir => Path.Combine(dir, "redis-server"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed; test.sh installs it with 'apt-get install -y redis-server' (as root) — install it locally the same way");
    }
}
