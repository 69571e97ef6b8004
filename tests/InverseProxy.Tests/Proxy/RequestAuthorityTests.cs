using InverseProxy.Http;
using InverseProxy.Proxy;
using HttpVersion = InverseProxy.Http.HttpVersion;

namespace InverseProxy.Tests.Proxy;

/// <summary>The authority stage on one connection's reused request: a repeated Host is recalled, never trusted unchecked.</summary>
public sealed class RequestAuthorityTests
{
    [Fact]
    public void Bind_SameHostStringAgain_SameNormalAuthority()
    {
        var request = new ProxyRequest();
        string host = "Shop.Example.COM.:80";

        RequestAuthority.Bind(request, Get(host), null!, "http");
        RequestAuthority.Bind(request, Get(host), null!, "http");

        Assert.Equal("shop.example.com", request.Authority);
        Assert.Equal("shop.example.com", request.Host);
    }

    [Fact]
    public void Bind_InvalidHostAfterAValidOne_Refused()
    {
        var request = new ProxyRequest();
        RequestAuthority.Bind(request, Get("shop.example"), null!, "http");

        var refused = Assert.Throws<HttpParseException>(() => RequestAuthority.Bind(request, Get("shop.example/admin"), null!, "http"));

        Assert.Equal(HttpParseError.InvalidHost, refused.Error);
    }

    [Fact]
    public void Bind_SameHostOnAnotherScheme_NormalisedForThatScheme()
    {
        var request = new ProxyRequest();
        string host = "shop.example:443";
        RequestAuthority.Bind(request, Get(host), null!, "http");
        Assert.Equal("shop.example:443", request.Authority);

        RequestAuthority.Bind(request, Get(host), null!, "https");

        Assert.Equal("shop.example", request.Authority);
    }

    private static RequestHead Get(string host)
    {
        var headers = new HttpHeaders();
        headers.Add("Host", host);
        return new RequestHead("GET", "/", HttpVersion.Http11, headers);
    }
}
