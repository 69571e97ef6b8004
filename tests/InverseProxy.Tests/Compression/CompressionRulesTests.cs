using InverseProxy.Compression;
using InverseProxy.Configuration;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Compression;

public sealed class CompressionRulesTests
{
    private static readonly CompressionRules s_rules = CompressionRules.From(new ProxyOptions());

    private static ResponseHead Html(params (string Name, string Value)[] extra) =>
        Response(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "5000"), ("ETag", "\"v1\""), .. extra]);

    [Fact]
    public void Plan_CompressibleResponseAcceptingClient_EncodesWithVaryAndWeakETag()
    {
        var target = Html(("Vary", "Accept-Language"));

        var plan = s_rules.Plan(Get("/", ("Accept-Encoding", "gzip")), target)!;

        Assert.Equal(ContentCoding.Gzip, plan.Coding);
        Assert.Equal("gzip", plan.Head.Headers.Get("Content-Encoding"));
        Assert.Equal("Accept-Language, Accept-Encoding", plan.Head.Headers.Get("Vary"));
        Assert.Equal("W/\"v1\"", plan.Head.Headers.Get("ETag"));
        Assert.Null(plan.Head.Headers.Get("Content-Length"));
        // The target's head is left as it came.
        Assert.Equal("5000", target.Headers.Get("Content-Length"));
        Assert.Equal("\"v1\"", target.Headers.Get("ETag"));
        Assert.Null(target.Headers.Get("Content-Encoding"));
    }

    [Fact]
    public void Plan_ClientAcceptsNoCoding_IdentityWithVaryOnly()
    {
        var plan = s_rules.Plan(Get("/"), Html(("Vary", "accept-encoding")))!;

        Assert.Equal(ContentCoding.Identity, plan.Coding);
        Assert.False(plan.Encodes);
        Assert.Equal("accept-encoding", plan.Head.Headers.GetCombined("Vary"));
        Assert.Equal("\"v1\"", plan.Head.Headers.Get("ETag"));
        Assert.Equal("5000", plan.Head.Headers.Get("Content-Length"));
    }

    [Fact]
    public void Plan_RangeRequest_Identity()
    {
        var plan = s_rules.Plan(Get("/", ("Accept-Encoding", "gzip"), ("Range", "bytes=0-9")), Html())!;

        Assert.Equal(ContentCoding.Identity, plan.Coding);
    }

    private static readonly Dictionary<string, (RequestHead Request, ResponseHead Response)> s_leftAlone = new()
    {
        ["HEAD"] = (Request("HEAD", "/", ("Accept-Encoding", "gzip")), Html()),
        ["no-transform response"] = (Get("/", ("Accept-Encoding", "gzip")), Html(("Cache-Control", "max-age=60, no-transform"))),
        ["no-transform request"] = (Get("/", ("Accept-Encoding", "gzip"), ("Cache-Control", "no-transform")), Html()),
        ["already encoded"] = (Get("/", ("Accept-Encoding", "gzip")), Html(("Content-Encoding", "br"))),
        ["Content-Range"] = (Get("/", ("Accept-Encoding", "gzip")), Html(("Content-Range", "bytes 0-4999/9000"))),
        ["206"] = (Get("/", ("Accept-Encoding", "gzip")), Response(206, ("Content-Type", "text/html"), ("Content-Length", "5000"))),
        ["304"] = (Get("/", ("Accept-Encoding", "gzip")), Response(304, ("Content-Type", "text/html"))),
        ["204"] = (Get("/", ("Accept-Encoding", "gzip")), Response(204, ("Content-Type", "text/html"))),
        ["type not listed"] = (Get("/", ("Accept-Encoding", "gzip")), Response(200, ("Content-Type", "image/png"), ("Content-Length", "5000"))),
        ["no type"] = (Get("/", ("Accept-Encoding", "gzip")), Response(200, ("Content-Length", "5000"))),
        ["under minimum"] = (Get("/", ("Accept-Encoding", "gzip")), Response(200, ("Content-Type", "text/html"), ("Content-Length", "1023"))),
        ["transfer coding"] = (Get("/", ("Accept-Encoding", "gzip")), Response(200, ("Content-Type", "text/html"), ("Transfer-Encoding", "gzip, chunked"))),
    };

    public static TheoryData<string> LeftAlone => new(s_leftAlone.Keys);

    [Theory]
    [MemberData(nameof(LeftAlone))]
    public void Plan_ResponseNotForTheProxyToEncode_Null(string name)
    {
        var (request, response) = s_leftAlone[name];

        Assert.Null(s_rules.Plan(request, response));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("TEXT/CSS")]
    [InlineData("image/svg+xml")]
    [InlineData("application/javascript; charset=utf-8")]
    public void Plan_DefaultTypes_Encoded(string type)
    {
        var response = Response(200, ("Content-Type", type), ("Content-Length", "1024"));

        Assert.Equal(ContentCoding.Brotli, s_rules.Plan(Get("/", ("Accept-Encoding", "br")), response)!.Coding);
    }

    [Fact]
    public void Plan_UnknownLengthChunked_Encoded()
    {
        var response = Response(200, ("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked"));

        Assert.True(s_rules.Plan(Get("/", ("Accept-Encoding", "gzip")), response)!.Encodes);
    }

    [Fact]
    public void Plan_CompressionOffOrTypeNotListed_Null()
    {
        var off = CompressionRules.From(new ProxyOptions { Compression = false });
        var jsonOnly = CompressionRules.From(new ProxyOptions { CompressTypes = ["application/json"], CompressMinSize = 0 });
        var request = Get("/", ("Accept-Encoding", "gzip"));

        Assert.Null(off.Plan(request, Html()));
        Assert.Null(jsonOnly.Plan(request, Html()));
        Assert.NotNull(jsonOnly.Plan(request, Response(200, ("Content-Type", "application/json"), ("Content-Length", "1"))));
    }

    [Fact]
    public void Negotiate_HeadOrRange_Identity()
    {
        Assert.Equal(ContentCoding.Identity, CompressionRules.Negotiate(Request("HEAD", "/", ("Accept-Encoding", "br"))));
        Assert.Equal(ContentCoding.Identity, CompressionRules.Negotiate(Get("/", ("Accept-Encoding", "br"), ("Range", "bytes=1-2"))));
        Assert.Equal(ContentCoding.Brotli, CompressionRules.Negotiate(Get("/", ("Accept-Encoding", "br"))));
    }
}
