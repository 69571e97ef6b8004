using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;
using Xunit.Abstractions;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>SIGKILL at random moments while the cache is being filled and flushed every 200 ms.</summary>
public sealed class CacheCrashTests(ITestOutputHelper output)
{
    private const int Cycles = 15;
    private const int MinimumCycles = 5;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(75);

    [Fact]
    [Trait("Category", "Crash")]
    public void Kill_DuringFlushes_EveryStartLoadsValidCacheAndLaterStartsHitFromDisk()
    {
        var random = new Random(8675309);
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(r.Target, 8192 / r.Target.Length))),
            Headers = [new("Cache-Control", "max-age=3600")],
        });
        string directory = TempDirectory.Create("crash");
        string cacheFile = Path.Combine(directory, "cache.bin");
        var stored = new List<string>();
        int hitsFromDisk = 0;
        int cycle = 0;
        var budget = Stopwatch.StartNew();
        for (; cycle < Cycles && budget.Elapsed < s_budget; cycle++)
        {
            bool fileExisted = File.Exists(cacheFile);
            using var proxy = ProxyProcess.StartListening(
                directory, $"targets = 127.0.0.1:{origin.Port}", "unit_time = 200ms", "shutdown_timeout = 2s", "log_level = Information");
            AssertLoadedValidCache(proxy, fileExisted);
            bool hit = ProbeEarlierEntry(proxy, origin, stored);
            hitsFromDisk += hit ? 1 : 0;
            var killAfter = TimeSpan.FromMilliseconds(random.Next(150, 1200));
            FillUntilKilled(proxy, cycle, killAfter, stored);
            output.WriteLine($"cycle {cycle}: file existed {fileExisted}, quarantined {proxy.OutputContains("Moved cache file")}, hit from disk {hit}, killed after {killAfter.TotalMilliseconds} ms, {stored.Count} stored, file {(File.Exists(cacheFile) ? new FileInfo(cacheFile).Length : 0)} bytes");
        }

        Assert.True(cycle >= MinimumCycles, $"only {cycle} cycles ran within {s_budget}");
        Assert.True(hitsFromDisk >= 1, $"no start out of {cycle} served an entry from the cache file");
    }

    private static void AssertLoadedValidCache(ProxyProcess proxy, bool fileExisted)
    {
        string output = proxy.Output;
        bool loaded = proxy.OutputContains("Loaded ");
        bool quarantined = proxy.OutputContains("Moved cache file");
        Assert.True(fileExisted ? loaded || quarantined : proxy.OutputContains("No cache file"), output);
        Assert.False(proxy.HasExited, output);
    }

    /// <summary>Asks for the oldest stored path; true when it came from the cache without reaching the origin.</summary>
    private static bool ProbeEarlierEntry(ProxyProcess proxy, ScriptedOrigin origin, List<string> stored)
    {
        string path = stored.Count > 0 ? stored[0] : "/probe";
        int before = origin.RequestCount;
        var response = Get(proxy.Port, path);
        Assert.Equal(200, response.Status());
        return response.Header("X-Cache") == "HIT" && origin.RequestCount == before;
    }

    /// <summary>Stores new entries back to back while a timer kills the process after <paramref name="killAfter"/>.</summary>
    private static void FillUntilKilled(ProxyProcess proxy, int cycle, TimeSpan killAfter, List<string> stored)
    {
        // The timer's kill must have finished before the caller disposes the process, or its wait races the dispose.
        using var killed = new ManualResetEventSlim();
        using var killer = new Timer(_ =>
        {
            proxy.Kill();
            killed.Set();
        }, null, killAfter, Timeout.InfiniteTimeSpan);
        for (int n = 0; !proxy.HasExited; n++)
        {
            string path = $"/c{cycle}-{n}";
            try
            {
                if (Get(proxy.Port, path).Status() == 200)
                {
                    stored.Add(path);
                }
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                break;
            }
        }
        Assert.True(killed.Wait(killAfter + TimeSpan.FromSeconds(30)), "the kill timer did not finish");
        Assert.True(Poll.Until(() => proxy.HasExited), "the proxy survived SIGKILL");
    }
}
