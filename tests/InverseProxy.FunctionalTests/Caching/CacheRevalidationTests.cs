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
