using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9110 §14: ranges served from a complete stored 200, proven by the origin's request count.</summary>
public sealed class CacheRangeTests
{
    private const string Body = "0123456789abcdefghij";
    private const string LastModified = "Mon, 01 Jun 2026 10:00:00 GMT";

    private static ScriptedOrigin Origin() =>
        new(r => OriginResponse.Text(Body, ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""), ("Last-Modified", LastModified)));

    [Theory]
    [InlineData("bytes=0-4", "bytes 0-4/20", "01234")]
    [InlineData("bytes=15-", "bytes 15-19/20", "fghij")]
    [InlineData("bytes=-3", "bytes 17-19/20", "hij")]
    [InlineData("bytes=18-100", "bytes 18-19/20", "ij")]
    public void Get_SingleRange_206FromCache(string range, string contentRange, string part)
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/file");

        var response = Get(proxy.Port, "/file", "Range: " + range);

        Assert.Equal("HTTP/1.1 206 Partial Content", response.StartLine);
        Assert.Equal(contentRange, response.Header("Content-Range"));
        Assert.Equal(part, response.BodyText);
        Assert.Equal(part.Length.ToString(), response.Header("Content-Length"));
        Assert.Equal("\"v1\"", response.Header("ETag"));
        Assert.Equal(Body, Get(proxy.Port, "/file", "Range: bytes=0-1, 5-6").BodyText); // several ranges: all of it
        Assert.Equal(1, origin.RequestCount);
    }

    [Theory]
    [InlineData("bytes=20-")]
    [InlineData("bytes=-0")]
    public void Get_RangePastEnd_416WithLength(string range)
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/file");

        var response = Get(proxy.Port, "/file", "Range: " + range);

        Assert.Equal(416, response.Status());
        Assert.Equal("bytes */20", response.Header("Content-Range"));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_IfRange_PartOnlyWhenValidatorMatchesStrongly()
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/file");
        string[] matching = ["\"v1\"", LastModified];
        string[] failing = ["\"v2\"", "W/\"v1\"", "Tue, 02 Jun 2026 10:00:00 GMT"];

        var parts = matching.Select(v => Get(proxy.Port, "/file", "Range: bytes=0-4", "If-Range: " + v)).ToList();
        var wholes = failing.Select(v => Get(proxy.Port, "/file", "Range: bytes=0-4", "If-Range: " + v)).ToList();

        Assert.All(parts, r => Assert.Equal((206, "01234"), (r.Status(), r.BodyText)));
        Assert.All(wholes, r => Assert.Equal((200, Body), (r.Status(), r.BodyText)));
        Assert.Equal(1, origin.RequestCount);
    }
}
