using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Caching;

public sealed class CollapsedForwardingTests
{
    private const int Clients = 100;

    [Fact]
    public void Get_HundredConcurrentMissesForOneKey_OriginSeesOneRequest()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = "slow body"u8.ToArray(),
            Headers = [new("Cache-Control", "max-age=60")],
            Delay = TimeSpan.FromMilliseconds(300),
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        var clients = Enumerable.Range(0, Clients).Select(_ => new RawClient(proxy.Port, receiveTimeoutMs: 30_000)).ToList();
        var results = new WireMessage?[Clients];
        var errors = new Exception?[Clients];
        using var go = new ManualResetEventSlim(false);

        var threads = Enumerable.Range(0, Clients).Select(i => new Thread(() =>
        {
            go.Wait();
            try
            {
                results[i] = clients[i].Exchange("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        go.Set();
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a client never got its answer"));
        clients.ForEach(c => c.Dispose());

        Assert.All(errors, e => Assert.Null(e));
        Assert.All(results, r => Assert.Equal(("HTTP/1.1 200 OK", "slow body"), (r!.StartLine, r.BodyText)));
        Assert.Equal(1, origin.RequestCount);
    }
}
