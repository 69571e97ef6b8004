using System.Net;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9111 §4.4 invalidation after unsafe requests, and PURGE.</summary>
public sealed class CacheInvalidationTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public void Post_SuccessfulToStoredUri_InvalidatesStoredGet(int postStatus)
    {
        using var origin = StoringOrigin(postStatus);
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/x");
        Assert.Equal("HIT", Get(proxy.Port, "/x").Header("X-Cache"));

        var post = Send(proxy.Port, "POST", "/x", "Content-Length: 0");
        var after = Get(proxy.Port, "/x");

        Assert.Equal(postStatus, post.Status());
        Assert.Equal("MISS", after.Header("X-Cache"));
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Post_Answered500_DoesNotInvalidate()
    {
        using var origin = StoringOrigin(500);
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/x");

        var post = Send(proxy.Port, "POST", "/x", "Content-Length: 0");
        var after = Get(proxy.Port, "/x");

        Assert.Equal(500, post.Status());
        Assert.Equal("HIT", after.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Theory]
    [InlineData("Location", "/y", true)]
    [InlineData("Content-Location", "/y", true)]
    [InlineData("Location", "http://h/y", true)]
    [InlineData("Location", "http://elsewhere.test/y", false)]
    public void Post_WithLocationHeader_InvalidatesThatUriOnlyOnSameHost(string header, string value, bool invalidated)
    {
        using var origin = new ScriptedOrigin(r => r.Method == "POST"
            ? new OriginResponse { Status = 201, Reason = "Created", Headers = [new(header, value)] }
            : OriginResponse.Text($"get {r.Target}", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/y");

        Send(proxy.Port, "POST", "/x", "Content-Length: 0");
        var after = Get(proxy.Port, "/y");

        Assert.Equal(invalidated ? "MISS" : "HIT", after.Header("X-Cache"));
        Assert.Equal(invalidated ? 3 : 2, origin.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Purge_FromAddressNotAllowed_Forbidden(bool otherAddressAllowed)
    {
        using var origin = StoringOrigin(200);
        using var proxy = ProxyInstance.Start(
            o => o.PurgeAllowed = otherAddressAllowed ? [IPAddress.Parse("10.9.8.7")] : [], origin.Port);
        GetStored(proxy, "/x");

        var purge = Send(proxy.Port, "PURGE", "/x");
        var after = Get(proxy.Port, "/x");

        Assert.Equal(403, purge.Status());
        Assert.Equal("HIT", after.Header("X-Cache"));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Purge_FromAllowedAddress_RemovesEntry()
    {
        using var origin = StoringOrigin(200);
        using var proxy = ProxyInstance.Start(o => o.PurgeAllowed = [IPAddress.Loopback], origin.Port);
        GetStored(proxy, "/x");

        var purge = Send(proxy.Port, "PURGE", "/x");
        var after = Get(proxy.Port, "/x");

        Assert.Equal("HTTP/1.1 200 OK", purge.StartLine);
        Assert.Equal("MISS", after.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Purge_NothingStored_NotFound()
    {
        using var origin = StoringOrigin(200);
        using var proxy = ProxyInstance.Start(o => o.PurgeAllowed = [IPAddress.Loopback], origin.Port);

        var purge = Send(proxy.Port, "PURGE", "/never-stored");

        Assert.Equal(404, purge.Status());
        Assert.Equal(0, origin.RequestCount);
    }

    /// <summary>GET answers are cacheable; POST answers get <paramref name="postStatus"/>.</summary>
    private static ScriptedOrigin StoringOrigin(int postStatus) => new(r => r.Method == "POST"
        ? new OriginResponse { Status = postStatus, Reason = "Posted", Body = "posted"u8.ToArray() }
        : OriginResponse.Text($"get {r.Target}", ("Cache-Control", "max-age=60")));
}
