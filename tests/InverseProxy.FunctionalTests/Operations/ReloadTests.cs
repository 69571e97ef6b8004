using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

public sealed class ReloadTests
{
    [Fact]
    public void Reload_NewTargets_TrafficMovesWithoutDroppingTheClientOrTheCache()
    {
        using var oldOrigin = new ScriptedOrigin(r => OriginResponse.Text("old " + r.Target, ("Cache-Control", r.Target == "/kept" ? "max-age=60" : "no-store")));
        using var newOrigin = new ScriptedOrigin(r => OriginResponse.Text("new " + r.Target, ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(oldOrigin.Port);
        using var client = new RawClient(proxy.Port);
        Assert.Equal("old /kept", client.Exchange("GET /kept HTTP/1.1\r\nHost: ops.test\r\n\r\n").BodyText);
        Assert.Equal("old /a", client.Exchange("GET /a HTTP/1.1\r\nHost: ops.test\r\n\r\n").BodyText);
        var next = ProxyInstance.DefaultOptions(proxy.Directory, newOrigin.Port);
        next.CacheSize = proxy.Options.CacheSize * 2;
        next.LogKeep = proxy.Options.LogKeep + 1;

        var restart = proxy.Server.Reload(next);

        Assert.Equal(["cache_size", "log_keep"], restart);
        Assert.Equal("new /b", client.Exchange("GET /b HTTP/1.1\r\nHost: ops.test\r\n\r\n").BodyText);
        Assert.Equal("old /kept", client.Exchange("GET /kept HTTP/1.1\r\nHost: ops.test\r\n\r\n").BodyText);
        Assert.Equal(2, oldOrigin.RequestCount);
        Assert.Equal(1, newOrigin.RequestCount);
        Assert.Equal(1, proxy.Server.Metrics.AcceptedConnections);
        Assert.Equal($"127.0.0.1:{newOrigin.Port}", Assert.Single(proxy.Server.Targets).Name);
    }

    [Fact]
    public void Reload_TargetKept_KeepsItsCountersAndHealth()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var other = new ScriptedOrigin(r => OriginResponse.Text("y", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        client.Exchange("GET / HTTP/1.1\r\nHost: ops.test\r\n\r\n");
        var before = Assert.Single(proxy.Server.Targets);

        proxy.Server.Reload(ProxyInstance.DefaultOptions(proxy.Directory, origin.Port, other.Port));

        Assert.Same(before, proxy.Server.Targets[0]);
        Assert.Equal(1, before.Requests);
        Assert.Equal(2, proxy.Server.Targets.Count);
    }

    [Fact]
    public void Sighup_EditedTargets_RequestsReachTheNewOrigin()
    {
        using var oldOrigin = new ScriptedOrigin(r => OriginResponse.Text("old", ("Cache-Control", "no-store")));
        using var newOrigin = new ScriptedOrigin(r => OriginResponse.Text("new", ("Cache-Control", "no-store")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("ops"), $"targets = 127.0.0.1:{oldOrigin.Port}");
        Assert.Equal("old", proxy.Get("/before").BodyText);

        proxy.RewriteConfig($"targets = 127.0.0.1:{newOrigin.Port}");
        proxy.Signal("HUP");

        Assert.True(proxy.WaitForOutput("Configuration reloaded"), proxy.Output);
        Assert.Equal("new", proxy.Get("/after").BodyText);
        Assert.Equal(1, oldOrigin.RequestCount);
        Assert.Equal(1, newOrigin.RequestCount);
    }

    [Fact]
    public void Sighup_SiteAdded_RoutedOnTheSameConnection_DefaultSiteEntriesKept()
    {
        using var oldOrigin = new ScriptedOrigin(r => OriginResponse.Text("old " + r.Target, ("Cache-Control", "max-age=60")));
        using var shopOrigin = new ScriptedOrigin(r => OriginResponse.Text("shop " + r.Target, ("Cache-Control", "max-age=60")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("ops"), $"targets = 127.0.0.1:{oldOrigin.Port}");
        using var client = new RawClient(proxy.Port);
        Assert.Equal("old /kept", client.Exchange("GET /kept HTTP/1.1\r\nHost: other.test\r\n\r\n").BodyText);
        Assert.Equal("old /p", client.Exchange("GET /p HTTP/1.1\r\nHost: shop.test\r\n\r\n").BodyText);

        proxy.RewriteConfig($"targets = 127.0.0.1:{oldOrigin.Port}", $"[site:shop]\nhosts = shop.test, *.shop.test\ntargets = 127.0.0.1:{shopOrigin.Port}");
        proxy.Signal("HUP");

        Assert.True(proxy.WaitForOutput("Configuration reloaded"), proxy.Output);
        Assert.Equal("shop /p", client.Exchange("GET /p HTTP/1.1\r\nHost: shop.test\r\n\r\n").BodyText);
        Assert.Equal("shop /q", client.Exchange("GET /q HTTP/1.1\r\nHost: www.shop.test\r\n\r\n").BodyText);
        var kept = client.Exchange("GET /kept HTTP/1.1\r\nHost: other.test\r\n\r\n");
        Assert.Equal("HIT", kept.Header("X-Cache"));
        Assert.Equal(2, oldOrigin.RequestCount);
    }

    [Fact]
    public void Sighup_UnknownKey_RejectedNamingTheKeyAndOldSettingsKept()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("kept", ("Cache-Control", "no-store")));
        using var unused = new ScriptedOrigin(r => OriginResponse.Text("wrong", ("Cache-Control", "no-store")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("ops"), $"targets = 127.0.0.1:{origin.Port}");

        proxy.RewriteConfig($"targets = 127.0.0.1:{unused.Port}", "cache_sise = 10MB");
        proxy.Signal("HUP");

        Assert.True(proxy.WaitForOutput("reload rejected"), proxy.Output);
        string rejected = proxy.Output.Split('\n').First(l => l.Contains("reload rejected", StringComparison.Ordinal));
        Assert.Contains("cache_sise", rejected);
        Assert.True(Poll.Until(() => File.ReadAllText(proxy.LogPath).Contains("cache_sise"), TimeSpan.FromSeconds(10)));
        Assert.Equal("kept", proxy.Get("/still").BodyText);
        Assert.Equal(0, unused.RequestCount);
    }
}
