using System.Runtime.InteropServices;

namespace InverseProxy.Networking;

/// <summary>
/// Puts connection threads in Linux's SCHED_BATCH class. With thousands of connection threads, the default policy
/// lets each newly woken thread preempt the running one, so recently active connections are served again and again
/// while others wait for seconds; batch threads are not woken into preemption and take their turns in order.
/// </summary>
internal static partial class ThreadScheduling
{
    private const int SchedBatch = 3;

    /// <summary>Applies SCHED_BATCH to the calling thread; a no-op where unsupported.</summary>
    public static void UseBatchPolicy()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var param = new SchedParam { Priority = 0 };
        _ = SchedSetScheduler(0, SchedBatch, ref param);
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SchedSetScheduler(int pid, int policy, ref SchedParam param);

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }
}
