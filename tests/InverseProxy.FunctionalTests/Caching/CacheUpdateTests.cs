using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9111 §3.2, §4.3.4, §4.3.5: how a 304 or a HEAD response updates a stored response.</summary>
public sealed class CacheUpdateTests
{
    [Fact]
    public void Head_ValidatorsMatchStoredGet_RefreshesItsFieldsAndFreshnessOtherwiseNot()
    {
        int heads = 0;
        using var origin = new ScriptedOrigin(r => r.Method == "HEAD"
            ? new OriginResponse
            {
                // The first HEAD describes another response; the second the stored one.
                Headers = [new("ETag", Interlocked.Increment(ref heads) == 1 ? "\"v2\"" : "\"v1\""), new("Cache-Control", "max-age=600"), new("X-Version", "2"), new("Content-Length", "11")],
            }
            : OriginResponse.Text("stored body", ("ETag", "\"v1\""), ("Cache-Control", "max-age=60"), ("X-Version", "1")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/h");

        var otherHead = Send(proxy.Port, "HEAD", "/h", "Cache-Control: no-cache");
        var unchanged = Get(proxy.Port, "/h");
        Send(proxy.Port, "HEAD", "/h", "Cache-Control: no-cache");
        var next = Get(proxy.Port, "/h");

        Assert.Equal("2", otherHead.Header("X-Version"));
        Assert.Equal(("1", "HIT"), (unchanged.Header("X-Version"), unchanged.Header("X-Cache")));
        Assert.Equal("HIT", next.Header("X-Cache"));
        Assert.Equal(("2", "max-age=600", "stored body"), (next.Header("X-Version"), next.Header("Cache-Control"), next.BodyText));
        Assert.True(CacheStatusTtl(next) > 60);
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Get_304WithOtherCodingAndNewField_UpdatesFieldKeepsCoding()
    {
        using var origin = new ScriptedOrigin(r => r.Header("If-None-Match") == "\"v1\""
            ? new OriginResponse
            {
                Status = 304,
                Reason = "Not Modified",
                Headers = [new("ETag", "\"v1\""), new("Cache-Control", "max-age=60"), new("Content-Encoding", "br"), new("X-Version", "2")],
            }
            : OriginResponse.Text("gzipped", ("ETag", "\"v1\""), ("Cache-Control", "max-age=60"), ("Content-Encoding", "gzip"), ("X-Version", "1")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/z");

        Get(proxy.Port, "/z", "Cache-Control: no-cache");
        var next = Get(proxy.Port, "/z");

        Assert.Equal(("HIT", "2", "gzip", "gzipped"), (next.Header("X-Cache"), next.Header("X-Version"), next.Header("Content-Encoding"), next.BodyText));
        Assert.Equal(2, origin.RequestCount);
    }
}
