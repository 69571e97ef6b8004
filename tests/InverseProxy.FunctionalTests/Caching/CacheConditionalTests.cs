using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>RFC 9111 §4.3.2: conditional requests answered from a fresh stored response, proven by the origin's request count.</summary>
public sealed class CacheConditionalTests
{
    private const string LastModified = "Mon, 01 Jun 2026 10:00:00 GMT";

    private static ScriptedOrigin Origin() => new(r => OriginResponse.Text(
        "stored body",
        ("Cache-Control", "max-age=60"),
        ("ETag", "\"v1\""),
        ("Last-Modified", LastModified),
        ("Content-Location", "/doc.en"),
        ("Date", DateTimeOffset.UtcNow.ToString("r")),
        ("X-Other", "kept out of 304")));

    [Theory]
    [InlineData("If-None-Match: \"v1\"")]
    [InlineData("If-None-Match: W/\"v1\"")]
    [InlineData("If-None-Match: \"v0\", W/\"v1\"")]
    [InlineData("If-None-Match: *")]
    [InlineData("If-Modified-Since: Mon, 01 Jun 2026 10:00:00 GMT")]
    [InlineData("If-Modified-Since: Tue, 02 Jun 2026 10:00:00 GMT")]
    public void Get_ConditionMatchesFreshEntry_304FromCacheWithValidators(string condition)
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/doc");

        var response = Get(proxy.Port, "/doc", condition);

        Assert.Equal("HTTP/1.1 304 Not Modified", response.StartLine);
        Assert.Empty(response.Body);
        Assert.Equal("\"v1\"", response.Header("ETag"));
        Assert.Equal(LastModified, response.Header("Last-Modified"));
        Assert.Equal("max-age=60", response.Header("Cache-Control"));
        Assert.Equal("/doc.en", response.Header("Content-Location"));
        Assert.NotNull(response.Header("Date"));
        Assert.Null(response.Header("X-Other"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_ConditionFailsOrIfNoneMatchOverridesDate_FullStoredResponse()
    {
        using var origin = Origin();
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/doc");

        var matching = Get(proxy.Port, "/doc", "If-None-Match: \"v1\"");
        var otherTag = Get(proxy.Port, "/doc", "If-None-Match: \"v2\"");
        var older = Get(proxy.Port, "/doc", "If-Modified-Since: Sun, 31 May 2026 10:00:00 GMT");
        // RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
        var both = Get(proxy.Port, "/doc", "If-None-Match: \"v2\"", "If-Modified-Since: Tue, 02 Jun 2026 10:00:00 GMT");

        Assert.Equal(304, matching.Status());
        Assert.All([otherTag, older, both], r => Assert.Equal("stored body", r.BodyText));
        Assert.Equal(1, origin.RequestCount);
    }

    [Theory]
    [InlineData("If-Match: \"v2\"")]
    [InlineData("If-Unmodified-Since: Sun, 31 May 2026 10:00:00 GMT")]
    public void Get_StateChangingPrecondition_ForwardedToTarget(string condition)
    {
        using var origin = new ScriptedOrigin(r => r.Header("If-Match") is null && r.Header("If-Unmodified-Since") is null
            ? OriginResponse.Text("stored body", ("Cache-Control", "max-age=60"), ("ETag", "\"v1\""))
            : new OriginResponse { Status = 412, Reason = "Precondition Failed" });
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/doc");

        var response = Get(proxy.Port, "/doc", condition);

        Assert.Equal(412, response.Status());
        Assert.Equal(2, origin.RequestCount);
    }
}
