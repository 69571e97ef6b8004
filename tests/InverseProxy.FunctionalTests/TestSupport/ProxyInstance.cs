using System.Net;
using InverseProxy.Configuration;
using InverseProxy.Logging;
using InverseProxy.Proxy;
using Microsoft.Extensions.Logging;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>The real proxy, in process, on 127.0.0.1 with an ephemeral port, its cache file and log in a temp folder.</summary>
internal sealed class ProxyInstance : IDisposable
{
    private readonly LogFileWriter _logFile;
    private readonly ILoggerFactory _loggerFactory;
    private bool _stopped;

    private ProxyInstance(ProxyOptions options, string directory)
    {
        Options = options;
        Directory = directory;
        _logFile = LogFileWriter.Open(options, TimeProvider.System);
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddLogFile(_logFile, LogLevel.Debug));
        var accessLog = new AccessLog(_logFile, AccessLogFormat.Text, TimeProvider.System);
        Server = new ProxyServer(options, _loggerFactory, TimeProvider.System, new RequestLogger(accessLog, TimeProvider.System));
        Server.Start();
    }

    public ProxyOptions Options { get; }

    public ProxyServer Server { get; }

    public string Directory { get; }

    public int Port => Server.LocalEndPoint.Port;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string LogPath => Options.PathToLog;

    /// <summary>Options with test-friendly defaults: loopback, port 0, short timeouts, files in <paramref name="directory"/>.</summary>
    public static ProxyOptions DefaultOptions(string directory, params int[] targetPorts) => new()
    {
        Port = 0,
        BindAddress = IPAddress.Loopback,
        Targets = targetPorts.Select(p => new DnsEndPoint("127.0.0.1", p)).ToList(),
        PathToPersistence = Path.Combine(directory, "cache.bin"),
        PathToLog = Path.Combine(directory, "proxy.log"),
        ConnectionTimeout = TimeSpan.FromSeconds(10),
        UpstreamConnectTimeout = TimeSpan.FromSeconds(2),
        UpstreamReadTimeout = TimeSpan.FromSeconds(5),
        UpstreamHoldDown = TimeSpan.FromSeconds(2),
        ShutdownTimeout = TimeSpan.FromSeconds(3),
        UnitTime = TimeSpan.FromSeconds(1),
    };

    /// <summary>Starts a proxy in front of <paramref name="targetPorts"/>; <paramref name="configure"/> may adjust options.</summary>
    public static ProxyInstance Start(Action<ProxyOptions>? configure, params int[] targetPorts)
    {
        string directory = TempDirectory.Create("proxy");
        var options = DefaultOptions(directory, targetPorts);
        configure?.Invoke(options);
        return new ProxyInstance(options, directory);
    }

    public static ProxyInstance Start(params int[] targetPorts) => Start(null, targetPorts);

    /// <summary>Starts another proxy with the same options and folder (a restart).</summary>
    public ProxyInstance Restart()
    {
        Stop();
        return new ProxyInstance(Options, Directory);
    }

    /// <summary>Waits until queued log lines are on disk, then returns the log file's lines.</summary>
    public string[] ReadLog()
    {
        _logFile.Flush(TimeSpan.FromSeconds(5));
        return File.ReadAllLines(LogPath);
    }

    public void Stop()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Server.Stop();
        _loggerFactory.Dispose();
        _logFile.Dispose();
    }

    public void Dispose()
    {
        Stop();
    }
}
