using System.Runtime.InteropServices;
using InverseProxy.Networking;

namespace InverseProxy.Tests.Networking;

public sealed class ConnectionThreadPolicyTests
{
    private const int SchedOther = 0;
    private const int SchedBatch = 3;

    [Fact]
    public void AfterResponse_BodySizesAndLoad_PolicyFollowsTheLastAnswer()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var seen = new List<int>();
        // On a thread of its own: the policy sticks to the thread it is set on.
        var thread = new Thread(() =>
        {
            var policy = new ConnectionThreadPolicy();
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(ConnectionThreadPolicy.BulkBodyBytes, liveConnections: 10);
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(100 * 1024, liveConnections: 10);
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(1024, liveConnections: 10);
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(0, liveConnections: 10);
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(1024, ConnectionThreadPolicy.BatchFromConnections);
            seen.Add(sched_getscheduler(0));
            policy.AfterResponse(1024, ConnectionThreadPolicy.BatchFromConnections - 1);
            seen.Add(sched_getscheduler(0));
        });
        thread.Start();
        thread.Join();

        Assert.Equal([SchedOther, SchedBatch, SchedBatch, SchedOther, SchedOther, SchedBatch, SchedOther], seen);
    }

    [DllImport("libc")]
    private static extern int sched_getscheduler(int pid);
}
