using InverseProxy.Admin;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.Caching.Shared;

namespace InverseProxy.Tests.Admin;

/// <summary>A hand-built report with distinct, known numbers, so each rendered value can be traced to its field.</summary>
internal static class StatsReports
{
    public static readonly DateTimeOffset FlushedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public static readonly DateTimeOffset HeldDownUntil = new(2026, 1, 2, 3, 4, 10, TimeSpan.Zero);

    public static StatsReport Sample() => new(
        Uptime: TimeSpan.FromSeconds(12.5),
        Requests: 10,
        ByStatus: new Dictionary<string, long> { ["4xx"] = 2, ["2xx"] = 7, ["none"] = 1 },
        ByMethod: new Dictionary<string, long> { ["POST"] = 2, ["GET"] = 8 },
        ActiveConnections: 3,
        AcceptedConnections: 40,
        RejectedConnections: 1,
        ThreadStartFailures: 11,
        ConnectionThreadAllocatedBytes: 77,
        SendTimeouts: 13,
        SlowRequestBodies: 14,
        BytesIn: 1234,
        BytesOut: 56789,
        Cache: new CacheCounters(Hits: 6, Misses: 2, StaleServed: 1, Evictions: 4, Stores: 3, Invalidations: 1, Entries: 5, Bytes: 4096),
        Flush: new FlushStatistics
        {
            LastFlushAt = FlushedAt,
            LastFlushDuration = TimeSpan.FromMilliseconds(250),
            LastFlushBytes = 2048,
            LastFlushEntries = 5,
            FlushCount = 9,
            FailureCount = 1,
            LastError = "disk full",
        },
        Targets:
        [
            new TargetReport("127.0.0.1:8081", null, 9, 0, 0),
            new TargetReport("127.0.0.1:8082", HeldDownUntil, 1, 3, 2),
        ],
        UpstreamConnectionsOpened: 4,
        UpstreamReuses: 6,
        UpstreamIdle: 2,
        Sites: [new SiteReport("default", 8, 6, 2, 0, 0), new SiteReport("api", 2, 0, 1, 1, 3)],
        DynamicTargets: 11,
        Process: new ProcessReport(
            ResidentBytes: 50_331_648,
            Threads: 42,
            GcHeapBytes: 8_388_608,
            GcAllocatedBytes: 123_456_789,
            GcCollections: [30, 12, 3],
            GcPauseTotal: TimeSpan.FromMilliseconds(87.5),
            LockContentions: 13))
    {
        Tunnels = new TunnelFigures(Open: 2, Opened: 9, BytesUp: 4096, BytesDown: 65536, RefusedDestinations: 5, ProxyAuthChallenges: 7),
        SharedCache = new SharedCacheCounters(Hits: 21, Misses: 22, Stores: 23, Drops: 24, Errors: 25, Circuit: SharedCircuitState.Open),
    };
}
