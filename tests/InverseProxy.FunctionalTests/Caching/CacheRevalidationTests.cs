using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9111 §4.3 validation and RFC 5861 stale-while-revalidate / stale-if-error through the real proxy.</summary>
public sealed class CacheRevalidationTests
{
    [Theory]
    [InlineData("no-cache")]
    [InlineData("max-age=0")]
    public void Get_RequestDemandsValidationWithoutValidators_GoesToOrigin(string requestCacheControl)
    {
        int served = 0;
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"v{Interlocked.Increment(ref served)}", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/n");

        var forced = Get(proxy.Port, "/n", $"Cache-Control: {requestCacheControl}");

        Assert.Equal("v2", forced.BodyText);
        Assert.Equal(2, origin.RequestCount);
        Assert.Null(origin.Requests.Last().Header("If-None-Match"));
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("max-age=0")]
    public void Get_RequestDemandsValidationWithStoredETag_RevalidatedBy304(string requestCacheControl)
    {
        using var origin = new ScriptedOrigin(r => r.Header("If-None-Match") == "\"v1\""
            ? new OriginResponse { Status = 304, Reason = "Not Modified", Headers = [new("ETag", "\"v1\""), new("Cache-Control", "max-age=60")] }
            : OriginResponse.Text("stored body", ("ETag", "\"v1\""), ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/e");

        var revalidated = Get(proxy.Port, "/e", $"Cache-Control: {requestCacheControl}");
        var next = Get(proxy.Port, "/e");

        Assert.Equal("\"v1\"", origin.Requests.ElementAt(1).Header("If-None-Match"));
        Assert.Equal("HTTP/1.1 200 OK", revalidated.StartLine);
        Assert.Equal("stored body", revalidated.BodyText);
        Assert.Contains("fwd-status=304", revalidated.Header("Cache-Status"));
        Assert.NotEqual("HIT", revalidated.Header("X-Cache"));
        Assert.Equal("HIT", next.Header("X-Cache"));
        Assert.Equal("stored body", next.BodyText);
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_StaleWithinStaleWhileRevalidate_ServedStaleAndRefreshedInBackground()
    {
        int served = 0;
        using var origin = new ScriptedOrigin(r => Interlocked.Increment(ref served) == 1
            ? OriginResponse.Text("v1", ("Cache-Control", "max-age=1, stale-while-revalidate=30"))
            : OriginResponse.Text("v2", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/s");

        WireMessage? stale = null;
        Assert.True(Poll.Until(() => (stale = Get(proxy.Port, "/s")).Header("X-Cache") != "HIT"), "the entry never went stale");
        WireMessage? refreshed = null;
        bool gotNew = Poll.Until(() => (refreshed = Get(proxy.Port, "/s")).BodyText == "v2");

        Assert.Equal("STALE", stale!.Header("X-Cache"));
        Assert.Equal("v1", stale.BodyText);
        Assert.Contains("fwd=stale", stale.Header("Cache-Status"));
        Assert.True(gotNew, "the background refresh never landed");
        Assert.Equal("HIT", refreshed!.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_StaleEntryServedWhileItsRefreshLanded_NoSecondRefresh()
    {
        // A client that looked the stale entry up before the refresh stored its answer, and is still being sent the
        // stale body when the refresh lands, must not start another fetch of the entry it was served.
        var big = new byte[12 * 1024 * 1024];
        using var refreshGate = new ManualResetEventSlim();
        int served = 0;
        using var origin = new ScriptedOrigin(r =>
        {
            int n = Interlocked.Increment(ref served);
            if (n == 1)
            {
                return new OriginResponse { Body = big, Headers = [new("Cache-Control", "max-age=1, stale-while-revalidate=30")] };
            }
            refreshGate.Wait(TimeSpan.FromSeconds(15));
            return OriginResponse.Text($"v{n}", ("Cache-Control", "max-age=60"));
        });
        using var proxy = ProxyInstance.Start(o => o.MaxEntrySize = 16L * 1024 * 1024, origin.Port);
        var cache = proxy.Server.Cache!;
        GetStored(proxy, "/s");
        Assert.True(Poll.Until(() => Get(proxy.Port, "/s").Header("X-Cache") == "STALE"), "the entry never went stale");
        Assert.True(Poll.Until(() => origin.RequestCount == 2), "the background refresh never reached the origin");

        using var slowReader = new RawClient(proxy.Port);
        slowReader.Send("GET /s HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = slowReader.Reader.ReadHead()!.Value;
        long storesBefore = cache.Counters().Stores;
        refreshGate.Set();
        Assert.True(Poll.Until(() => cache.Counters().Stores > storesBefore), "the refresh never stored");
        var (body, _) = slowReader.Reader.ReadBody(head.headers, noBody: false, untilCloseIfUnframed: false);
        var next = slowReader.Exchange("GET /s HTTP/1.1\r\nHost: h\r\n\r\n");
        Thread.Sleep(300);

        Assert.Contains(head.headers, h => h.Key == "X-Cache" && h.Value == "STALE");
        Assert.Equal(big.Length, body.Length);
        Assert.Equal("v2", next.BodyText);
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_EntryPurgedWhileItsBackgroundRefreshIsInFlight_RefreshNotStored()
    {
        // The PURGE says the stored response is wrong; an answer the refresh asked for before it must not bring the
        // URL back into the cache.
        using var refreshGate = new ManualResetEventSlim();
        int served = 0;
        using var origin = new ScriptedOrigin(r =>
        {
            int n = Interlocked.Increment(ref served);
            if (n == 2)
            {
                refreshGate.Wait(TimeSpan.FromSeconds(15));
            }
            return OriginResponse.Text($"v{n}", ("Cache-Control", n == 1 ? "max-age=1, stale-while-revalidate=30" : "max-age=60"));
        });
        using var proxy = ProxyInstance.Start(o => o.PurgeAllowed = [System.Net.IPAddress.Loopback], origin.Port);
        var cache = proxy.Server.Cache!;
        GetStored(proxy, "/p");
        Assert.True(Poll.Until(() => Get(proxy.Port, "/p").Header("X-Cache") == "STALE"), "the entry never went stale");
        Assert.True(Poll.Until(() => origin.RequestCount == 2), "the background refresh never reached the origin");

        var purge = Send(proxy.Port, "PURGE", "/p");
        long storesBefore = cache.Counters().Stores;
        refreshGate.Set();
        bool refreshStored = Poll.Until(() => cache.Counters().Stores > storesBefore, TimeSpan.FromSeconds(1));
        var next = Get(proxy.Port, "/p");

        Assert.Equal(200, purge.Status());
        Assert.False(refreshStored, "the refresh stored its answer after the PURGE");
        Assert.Equal("MISS", next.Header("X-Cache"));
        Assert.Equal("v3", next.BodyText);
    }

    [Fact]
    public void Get_StaleWithinStaleIfErrorAndOrigin500_ServesStaleBody()
    {
        int served = 0;
        using var origin = new ScriptedOrigin(r => Interlocked.Increment(ref served) == 1
            ? OriginResponse.Text("good", ("Cache-Control", "max-age=1, stale-if-error=60"))
            : new OriginResponse { Status = 500, Reason = "Internal Server Error", Body = "broken"u8.ToArray() });
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/e");

        WireMessage? last = null;
        Assert.True(Poll.Until(() => (last = Get(proxy.Port, "/e")).Header("X-Cache") != "HIT"), "the entry never went stale");

        Assert.Equal("HTTP/1.1 200 OK", last!.StartLine);
        Assert.Equal("good", last.BodyText);
        Assert.Equal("STALE", last.Header("X-Cache"));
        Assert.Contains("fwd-status=500", last.Header("Cache-Status"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_StaleWithinStaleIfErrorAndOriginDown_ServesStaleBody()
    {
        var origin = new ScriptedOrigin(r => OriginResponse.Text("good", ("Cache-Control", "max-age=1, stale-if-error=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/e");
        origin.Dispose();
        using var downed = DownedPort.Hold(origin.Port);

        WireMessage? last = null;
        Assert.True(Poll.Until(() => (last = Get(proxy.Port, "/e")).Header("X-Cache") != "HIT"), "the entry never went stale");

        Assert.Equal("HTTP/1.1 200 OK", last!.StartLine);
        Assert.Equal("good", last.BodyText);
        Assert.Equal("STALE", last.Header("X-Cache"));
        Assert.Equal(1, origin.RequestCount);
    }
}
