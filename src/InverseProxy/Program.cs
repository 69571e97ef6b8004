using System.Net.Sockets;
using InverseProxy.Configuration;
using InverseProxy.Demo;
using InverseProxy.LoadTest;
using InverseProxy.Logging;
using InverseProxy.Proxy;
using Microsoft.Extensions.Logging;

namespace InverseProxy;

/// <summary>Loads and validates proxy.conf (every error printed, exit 2), builds logging, runs the proxy until SIGTERM.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--hash-password", var user])
        {
            return PasswordCommand.Run(user, Console.In, Console.Out, Console.Error);
        }
        if (args is ["loadtest", .. var loadTestArgs])
        {
            return LoadTestCommand.Run(loadTestArgs, Console.Out, Console.Error, TimeProvider.System);
        }
        var config = ConfigLoader.Load(args, Environment.GetEnvironmentVariables());
        if (config.ShowHelp)
        {
            Console.Out.Write(ConfigLoader.HelpText);
            return 0;
        }
        if (config.CheckOnly)
        {
            config = StateFolders.Check(config);
            config = Tls.CertificateCheck.Check(config, TimeProvider.System.GetUtcNow());
            (config.Errors.Count == 0 ? Console.Out : Console.Error).Write(ConfigLoader.FormatCheckReport(config));
            return config.Errors.Count == 0 ? 0 : 2;
        }
        if (config.Errors.Count > 0)
        {
            foreach (string error in config.Errors)
            {
                Console.Error.WriteLine($"inverseproxy: {error}");
            }
            return 2;
        }
        return Run(config.Options!, config.ConfigPath, config.Demo, args);
    }

    private static int Run(ProxyOptions options, string configPath, bool demo, string[] args)
    {
        var time = TimeProvider.System;
        LogFileWriter logFile;
        try
        {
            logFile = LogFileWriter.Open(options, time);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"inverseproxy: path_to_log: cannot write '{options.PathToLog}': {e.Message}");
            return 2;
        }
        using (logFile)
        using (var loggerFactory = CreateLoggerFactory(options, logFile))
        {
            var logger = loggerFactory.CreateLogger("InverseProxy");
            Log.Starting(logger, options.Port, string.Join(", ", options.Targets.Select(EndpointParsers.FormatTarget)), configPath);
            if (IgnoredSignals.SighupIgnoredAtStart())
            {
                Log.SighupIgnoredAtStart(logger);
            }
            var accessLog = options.AccessLog ? new AccessLog(logFile, AccessLogFormats.Parse(options.AccessLogFormat), time) : null;
            using var server = new ProxyServer(options, loggerFactory, time, new RequestLogger(accessLog, time));
            using var stop = new ManualResetEventSlim(false);
            using var signals = ProcessSignals.Register(stop, logFile, logger, () => Reload(server, args, logger));
            using var origins = demo ? DemoMode.StartOrigins(options, logger) : null;
            try
            {
                server.Start();
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"inverseproxy: port: cannot listen on {options.BindAddress}:{options.Port}: {e.Message}");
                return 2;
            }
            catch (StartupException e)
            {
                Console.Error.WriteLine($"inverseproxy: {e.Message}");
                return 2;
            }
            if (demo)
            {
                DemoMode.ShowItWorking(server.LocalEndPoint, Console.Out);
            }
            stop.Wait();
            server.Stop();
        }
        return 0;
    }

    /// <summary>SIGHUP: the same file, environment and command line as at start, validated in full before use.</summary>
    private static IReadOnlyList<string> Reload(ProxyServer server, string[] args, ILogger logger)
    {
        var config = ConfigLoader.Load(args, Environment.GetEnvironmentVariables());
        if (config.Errors.Count > 0)
        {
            Log.ConfigReloadRejected(logger, string.Join("; ", config.Errors));
            return config.Errors;
        }
        var restart = server.Reload(config.Options!);
        Log.ConfigReloaded(logger, config.ConfigPath);
        if (restart.Count > 0)
        {
            Log.ConfigNeedsRestart(logger, string.Join(", ", restart));
        }
        return Array.Empty<string>();
    }

    private static ILoggerFactory CreateLoggerFactory(ProxyOptions options, LogFileWriter logFile) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(options.LogLevel)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .AddLogFile(logFile, options.LogLevel));
}
