using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Networking;

public sealed class ThreadLimitTests : IDisposable
{
    private readonly ScriptedOrigin _origin = new(_ => OriginResponse.Text("hello", ("Cache-Control", "max-age=60")));
    private readonly string _directory = TempDirectory.Create("thread-limit");

    [PidsCgroupFact]
    public void Burst_BeyondThePidsLimit_SurplusGets503ProcessLivesAndAnswersOnceTheyClose()
    {
        using var group = PidsCgroup.Create(); // disposed last: it can be removed only once the proxy has exited
        using var proxy = ProxyProcess.StartListening(_directory, $"targets = 127.0.0.1:{_origin.Port}", "spare_threads = 2");
        Assert.Equal(200, proxy.Get("/warm").Status());
        group.Add(proxy.Pid);
        group.Limit(group.Current + 10);

        var clients = new List<RawClient>();
        var statuses = new List<int>();
        try
        {
            // Each keep-alive client holds its thread, so the burst runs into the limit.
            for (int i = 0; i < 60; i++)
            {
                var client = new RawClient(proxy.Port);
                clients.Add(client);
                statuses.Add(client.Exchange("GET /warm HTTP/1.1\r\nHost: limit.test\r\n\r\n").Status());
            }
            Assert.False(proxy.HasExited, proxy.Output);
            Assert.Contains(503, statuses);
            Assert.Contains(200, statuses);
            Assert.All(statuses, s => Assert.True(s is 200 or 503, $"status {s}"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.True(Poll.Until(() => proxy.Get("/warm").Status() == 200, TimeSpan.FromSeconds(10)), "no 200 after the burst closed");
        Assert.False(proxy.HasExited);
        Assert.True(Poll.Until(() => File.ReadAllText(proxy.LogPath).Contains("No thread could be started on the client listener", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10)), "no warning in the log");
    }

    public void Dispose()
    {
        _origin.Dispose();
    }
}
