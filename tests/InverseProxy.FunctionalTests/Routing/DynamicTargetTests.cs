using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Routing;

/// <summary>Targets made from the Host by a site's target_template, and the allow list they must resolve into.</summary>
public sealed class DynamicTargetTests
{
    [Fact]
    public void TemplatePort_ManyDistinctTargets_EachRequestReachesItsOwnPort()
    {
        const int Targets = 2_000;
        using var origin = new ManyPortOrigin(Targets);
        using var proxy = ProxyInstance.Start(o => TestSites.Add(o, "dyn",
            ("hosts", "*.dyn.test"), ("target_template", "127.0.0.1:{1}"), ("allow_targets", "127.0.0.0/8")));

        // Four clients at once, each keep-alive, each through its own share of the ports.
        Parallel.For(0, 4, worker =>
        {
            using var client = new RawClient(proxy.Port);
            for (int i = worker; i < Targets; i += 4)
            {
                int port = origin.Ports[i];
                var response = client.Exchange($"GET /who HTTP/1.1\r\nHost: {port}.dyn.test\r\n\r\n");
                Assert.Equal(200, response.Status());
                Assert.Equal($"port {port}", response.BodyText);
            }
        });

        Assert.Equal(Targets, origin.RequestCount);
        Assert.Equal(Targets, proxy.Server.DynamicTargets!.Count);
    }

    [Fact]
    public void MaxDynamicTargets_LeastRecentlyUsedDropped_StillServed()
    {
        using var origin = new ManyPortOrigin(60);
        using var proxy = ProxyInstance.Start(o =>
        {
            o.MaxDynamicTargets = 20;
            TestSites.Add(o, "dyn", ("hosts", "*.dyn.test"), ("target_template", "127.0.0.1:{1}"), ("allow_targets", "127.0.0.0/8"));
        });
        using var client = new RawClient(proxy.Port);

        foreach (int port in origin.Ports.Concat(origin.Ports))
        {
            Assert.Equal($"port {port}", client.Exchange($"GET / HTTP/1.1\r\nHost: {port}.dyn.test\r\n\r\n").BodyText);
        }

        Assert.Equal(20, proxy.Server.DynamicTargets!.Count);
        Assert.Equal(100, proxy.Server.DynamicTargets.Dropped);
        Assert.True(proxy.Server.Pool!.IdleCount <= 20, $"{proxy.Server.Pool.IdleCount} idle connections kept");
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.0.0/16, internal.example")]
    public void TemplateAddressOutsideAllowTargets_Misdirected421_NoConnection(string allow)
    {
        using var origin = new ManyPortOrigin(1);
        using var proxy = ProxyInstance.Start(o => TestSites.Add(o, "dyn",
            ("hosts", "*.dyn.test"), ("target_template", "127.0.0.1:{1}"), ("allow_targets", allow)));
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET / HTTP/1.1\r\nHost: {origin.Ports[0]}.dyn.test\r\n\r\n");

        Assert.Equal(421, response.Status());
        Assert.Equal(0, origin.RequestCount);
        Assert.True(Poll.Until(() => proxy.ReadLog().Any(l => l.Contains("outside allow_targets", StringComparison.Ordinal))));
    }

    [Fact]
    public void TemplateNameResolvingOutsideAllowTargets_Refused_InsideAllowed()
    {
        // "localhost" resolves to loopback: a name is judged by the address it resolves to unless the list names it.
        using var origin = new ManyPortOrigin(1);
        int port = origin.Ports[0];
        using var refusing = ProxyInstance.Start(o => TestSites.Add(o, "named",
            ("hosts", "*.named.test"), ("target_template", $"{{1}}:{port}"), ("allow_targets", "10.0.0.0/8")));
        using var allowing = ProxyInstance.Start(o => TestSites.Add(o, "named",
            ("hosts", "*.named.test"), ("target_template", $"{{1}}:{port}"), ("allow_targets", "127.0.0.0/8")));

        using (var client = new RawClient(refusing.Port))
        {
            Assert.Equal(421, client.Exchange("GET / HTTP/1.1\r\nHost: localhost.named.test\r\n\r\n").Status());
        }
        Assert.Equal(0, origin.RequestCount);
        using (var client = new RawClient(allowing.Port))
        {
            Assert.Equal($"port {port}", client.Exchange("GET / HTTP/1.1\r\nHost: localhost.named.test\r\n\r\n").BodyText);
        }
    }

    [Theory]
    [InlineData("abc.dyn.test")]
    [InlineData("99999.dyn.test")]
    [InlineData("1.2.dyn.test")]
    public void TemplateResultNotHostPort_Misdirected421(string host)
    {
        using var origin = new ManyPortOrigin(1);
        using var proxy = ProxyInstance.Start(o => TestSites.Add(o, "dyn",
            ("hosts", "*.dyn.test"), ("target_template", "127.0.0.1:{1}"), ("allow_targets", "127.0.0.0/8")));
        using var client = new RawClient(proxy.Port);

        Assert.Equal(421, client.Exchange($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").Status());
        Assert.Equal(0, origin.RequestCount);
    }
}
