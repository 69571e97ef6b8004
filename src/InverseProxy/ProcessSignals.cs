using System.Runtime.InteropServices;
using InverseProxy.Configuration;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy;

/// <summary>
/// SIGTERM and SIGINT stop the proxy gracefully. SIGUSR1 reopens the log file (logrotate). SIGHUP reopens the log
/// and reloads proxy.conf: a valid file is applied, an invalid one is refused with its reasons and the old one kept.
/// </summary>
internal sealed class ProcessSignals : IDisposable
{
    // Linux numbering; PosixSignalRegistration accepts raw signal numbers for signals it has no name for.
    private const int SigUsr1 = 10;

    private readonly List<PosixSignalRegistration> _registrations = new();
    private readonly object _reloadGate = new();

    private ProcessSignals()
    {
    }

    public static ProcessSignals Register(ManualResetEventSlim stop, LogFileWriter logFile, ILogger logger, Func<IReadOnlyList<string>> reload)
    {
        var signals = new ProcessSignals();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        void Reopen()
        {
            logFile.Reopen();
            Log.LogReopened(logger, logFile.Path);
        }
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reopen();
            lock (signals._reloadGate)
            {
                reload();
            }
        }));
        if (OperatingSystem.IsLinux())
        {
            signals._registrations.Add(PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
            {
                context.Cancel = true;
                Reopen();
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
