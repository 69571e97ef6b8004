using System.Runtime.InteropServices;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy;

/// <summary>SIGTERM and SIGINT stop the proxy gracefully; SIGUSR1 reopens the log file for logrotate.</summary>
internal sealed class ProcessSignals : IDisposable
{
    // Linux numbering; PosixSignalRegistration accepts raw signal numbers for signals it has no name for.
    private const int SigUsr1 = 10;

    private readonly List<PosixSignalRegistration> _registrations = new();

    private ProcessSignals()
    {
    }

    public static ProcessSignals Register(ManualResetEventSlim stop, LogFileWriter logFile, ILogger logger)
    {
        var signals = new ProcessSignals();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop));
        if (OperatingSystem.IsLinux())
        {
            signals._registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
            {
                context.Cancel = true;
                logFile.Reopen();
                Log.LogReopened(logger, logFile.Path);
            }));
        }
        return signals;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
