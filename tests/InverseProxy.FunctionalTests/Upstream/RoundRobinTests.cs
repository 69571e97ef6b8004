using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

public sealed class RoundRobinTests
{
    private const string Get = "GET /rr HTTP/1.1\r\nHost: h\r\n\r\n";

    [Fact]
    public void Get_ThreeTargets_EachGetsAThird()
    {
        using var a = NoStoreOrigin("a");
        using var b = NoStoreOrigin("b");
        using var c = NoStoreOrigin("c");
        using var proxy = ProxyInstance.Start(a.Port, b.Port, c.Port);
        using var client = new RawClient(proxy.Port);

        var bodies = Enumerable.Range(0, 30).Select(_ => client.Exchange(Get).BodyText).ToList();

        Assert.Equal(10, a.RequestCount);
        Assert.Equal(10, b.RequestCount);
        Assert.Equal(10, c.RequestCount);
        // Strict rotation: no target is asked twice in a row.
        Assert.All(bodies.Zip(bodies.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public void Get_EightConcurrentClients_SpreadStaysFair()
    {
        const int Clients = 8;
        const int PerClient = 50;
        using var a = NoStoreOrigin("a");
        using var b = NoStoreOrigin("b");
        using var c = NoStoreOrigin("c");
        using var proxy = ProxyInstance.Start(a.Port, b.Port, c.Port);
        var statuses = new int[Clients * PerClient];

        var threads = Enumerable.Range(0, Clients).Select(t => new Thread(() =>
        {
            using var client = new RawClient(proxy.Port);
            for (int i = 0; i < PerClient; i++)
            {
                statuses[t * PerClient + i] = client.Exchange(Get).Status();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(Clients * PerClient, a.RequestCount + b.RequestCount + c.RequestCount);
        const double Third = Clients * PerClient / 3.0;
        Assert.InRange(a.RequestCount, Third - 5, Third + 5);
        Assert.InRange(b.RequestCount, Third - 5, Third + 5);
        Assert.InRange(c.RequestCount, Third - 5, Third + 5);
    }

    private static ScriptedOrigin NoStoreOrigin(string name) =>
        new(r => OriginResponse.Text(name, ("Cache-Control", "no-store")));
}
