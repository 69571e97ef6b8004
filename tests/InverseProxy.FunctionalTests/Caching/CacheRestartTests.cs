using System.Diagnostics;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

public sealed class CacheRestartTests
{
    private static readonly string[] s_paths = ["/r1", "/r2", "/r3", "/r4"];

    [Fact]
    public void Restart_AfterGracefulStop_ServesStoredEntriesWithAgeCountingDowntime()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"body of {r.Target}", ("Cache-Control", "max-age=600")));
        var first = ProxyInstance.Start(origin.Port);
        foreach (string path in s_paths)
        {
            GetStored(first, path);
        }
        var sinceStored = Stopwatch.StartNew();

        first.Stop();
        // Stay down long enough that Age must count the downtime in whole seconds.
        Poll.Until(() => sinceStored.Elapsed >= TimeSpan.FromSeconds(2));
        var restarted = first.Restart();
        using (restarted)
        {
            long elapsedSeconds = (long)sinceStored.Elapsed.TotalSeconds;
            var responses = s_paths.Select(p => Get(restarted.Port, p)).ToList();

            Assert.All(responses, r => Assert.Equal("HIT", r.Header("X-Cache")));
            Assert.Equal(s_paths.Select(p => $"body of {p}"), responses.Select(r => r.BodyText));
            Assert.All(responses, r => Assert.True(long.Parse(r.Header("Age")!) >= elapsedSeconds, $"Age {r.Header("Age")} < {elapsedSeconds}"));
            Assert.Equal(s_paths.Length, origin.RequestCount);
        }
    }
}
