using System.Net;
using System.Net.Sockets;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Proxy;
using InverseProxy.Routing;
using InverseProxy.Upstream;
using HttpVersion = InverseProxy.Http.HttpVersion;

namespace InverseProxy.Tests.Proxy;

public sealed class UpstreamRequestTests : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly ClientSession _client;

    public UpstreamRequestTests()
    {
        _client = new ClientSession(1, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123), new MessageReader(_socket, 1024), new SocketWriter(_socket));
    }

    [Fact]
    public void Build_HopByHopFields_Removed()
    {
        var request = Request("GET", "/", ("Host", "h"), ("Connection", "keep-alive, X-Private"), ("Keep-Alive", "timeout=5"),
            ("X-Private", "secret"), ("TE", "trailers"), ("Upgrade", "websocket"), ("Proxy-Connection", "keep-alive"),
            ("Trailer", "X-Sum"), ("Expect", "100-continue"), ("X-Kept", "1"));

        var sent = Build(request, _client, "");

        foreach (string name in new[] { "Connection", "Keep-Alive", "X-Private", "TE", "Upgrade", "Proxy-Connection", "Trailer", "Expect" })
        {
            Assert.False(sent.Headers.Contains(name), name);
        }
        Assert.Equal("1", sent.Headers.Get("X-Kept"));
    }

    [Fact]
    public void Build_WebSocketHandshake_UpgradeAndConnectionKept()
    {
        var request = Request("GET", "/chat", ("Host", "h"), ("Connection", "keep-alive, Upgrade"), ("Upgrade", "websocket"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"));

        var sent = Build(request, _client, "");

        Assert.Equal("websocket", sent.Headers.Get("Upgrade"));
        Assert.Equal("upgrade", sent.Headers.Get("Connection"));
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", sent.Headers.Get("Sec-WebSocket-Key"));
    }

    [Fact]
    public void Build_ConnectionNamesHost_HostKept()
    {
        var request = Request("GET", "/", ("Host", "h"), ("Connection", "Host, Content-Length"), ("Content-Length", "0"));

        var sent = Build(request, _client, "");

        Assert.Equal("h", sent.Headers.Get("Host"));
        Assert.Equal("0", sent.Headers.Get("Content-Length"));
    }

    [Fact]
    public void Build_NoVia_AddsOurs()
    {
        var sent = Build(Request("GET", "/", ("Host", "h")), _client, "");

        Assert.Equal("1.1 inverseproxy", sent.Headers.Get("Via"));
    }

    [Fact]
    public void Build_ExistingVia_AppendsOursLast()
    {
        var request = Request("GET", "/", ("Host", "h"), ("Via", "1.1 edge-a"), ("Via", "1.0 edge-b"));

        var sent = Build(request, _client, "");

        Assert.Equal(1, sent.Headers.CountOf("Via"));
        Assert.Equal("1.1 edge-a, 1.0 edge-b, 1.1 inverseproxy", sent.Headers.Get("Via"));
    }

    [Fact]
    public void Build_Http10ClientWithoutHost_ViaNamesProtocol10AndHostIsTheTarget()
    {
        var request = new RequestHead("GET", "/", HttpVersion.Http10, new HttpHeaders());

        var sent = Build(request, _client, "");

        Assert.Equal("1.0 inverseproxy", sent.Headers.Get("Via"));
        Assert.Equal("127.0.0.1:9", sent.Headers.Get("Host"));
        Assert.False(sent.Headers.Contains("X-Forwarded-Host"));
    }

    [Fact]
    public void Build_NoForwardedFor_SetsClientAddress()
    {
        var sent = Build(Request("GET", "/", ("Host", "h")), _client, "");

        Assert.Equal("192.0.2.7", sent.Headers.Get("X-Forwarded-For"));
        Assert.Equal("http", sent.Headers.Get("X-Forwarded-Proto"));
        Assert.Equal("h", sent.Headers.Get("X-Forwarded-Host"));
    }

    [Fact]
    public void Build_ExistingForwardedFor_AppendsClientAddress()
    {
        var request = Request("GET", "/", ("Host", "h"), ("X-Forwarded-For", "203.0.113.1"), ("X-Forwarded-For", "198.51.100.2"),
            ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "spoofed"));

        var sent = Build(request, _client, "");

        Assert.Equal(1, sent.Headers.CountOf("X-Forwarded-For"));
        Assert.Equal("203.0.113.1, 198.51.100.2, 192.0.2.7", sent.Headers.Get("X-Forwarded-For"));
        Assert.Equal(1, sent.Headers.CountOf("X-Forwarded-Proto"));
        Assert.Equal("http", sent.Headers.Get("X-Forwarded-Proto"));
        Assert.Equal("h", sent.Headers.Get("X-Forwarded-Host"));
    }

    [Fact]
    public void Build_MappedIpv4Client_ForwardedForIsPlainIpv4()
    {
        var client = new ClientSession(2, new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 1), _client.Reader, _client.Writer);

        var sent = Build(Request("GET", "/", ("Host", "h")), client, "");

        Assert.Equal("10.1.2.3", sent.Headers.Get("X-Forwarded-For"));
    }

    [Fact]
    public void Build_OriginForm_NewHeadAndTheClientHeadUntouched()
    {
        var request = Request("GET", "/a?b", ("Host", "h"), ("Connection", "X-Private"), ("X-Private", "1"), ("X-Forwarded-Host", "spoofed"));
        var before = request.Headers.Select(f => f.ToString()).ToArray();

        var sent = Build(request, _client, "");

        Assert.NotSame(request, sent);
        Assert.Equal("/a?b", sent.Target);
        Assert.Equal(before, request.Headers.Select(f => f.ToString()).ToArray());
    }

    [Fact]
    public void Build_AbsoluteFormWithAnotherHost_ForwardedHostIsTheTargetsAuthority()
    {
        // An origin building redirects from X-Forwarded-Host must see the authority the response is cached under.
        var request = Request("GET", "http://victim.example/x-redirect", ("Host", "evil.example"));

        var sent = Build(request, _client, "");

        Assert.Equal("victim.example", sent.Headers.Get("Host"));
        Assert.Equal("victim.example", sent.Headers.Get("X-Forwarded-Host"));
        Assert.DoesNotContain(sent.Headers, f => f.Value.Contains("evil", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://a.test:81/p/q?x=1", "/p/q?x=1", "a.test:81")]
    [InlineData("http://a.test", "/", "a.test")]
    [InlineData("HTTP://A.test/", "/", "a.test")]
    [InlineData("http://a.test?x=1", "/?x=1", "a.test")]
    public void Build_AbsoluteForm_OriginFormWithHostFromTheAuthority(string target, string expectedTarget, string expectedHost)
    {
        var request = Request("GET", target, ("Host", "ignored.test"));

        var sent = Build(request, _client, "");

        Assert.Equal(expectedTarget, sent.Target);
        Assert.Equal(expectedHost, sent.Headers.Get("Host"));
        Assert.Equal(1, sent.Headers.CountOf("Host"));
        Assert.Equal(target, request.Target);
        Assert.Equal("ignored.test", request.Headers.Get("Host"));
    }

    [Fact]
    public void Build_UpstreamHost_OverridesHostOnASeparateHead()
    {
        var request = Request("GET", "/p", ("Host", "client.test"), ("X-Kept", "1"));

        var sent = Build(request, _client, "backend.internal:8080");

        Assert.NotSame(request, sent);
        Assert.Equal("backend.internal:8080", sent.Headers.Get("Host"));
        Assert.Equal("client.test", sent.Headers.Get("X-Forwarded-Host"));
        Assert.Equal("1", sent.Headers.Get("X-Kept"));
        Assert.Equal("/p", sent.Target);
        Assert.Equal("GET", sent.Method);
        Assert.Equal("client.test", request.Headers.Get("Host"));
        Assert.Equal("/p", request.Target);
    }

    [Fact]
    public void Build_UpstreamHostAndAbsoluteForm_OverrideWins()
    {
        var request = Request("GET", "http://a.test/p", ("Host", "a.test"));

        var sent = Build(request, _client, "backend.internal");

        Assert.Equal("backend.internal", sent.Headers.Get("Host"));
        Assert.Equal("/p", sent.Target);
        Assert.Equal("http://a.test/p", request.Target);
    }

    [Fact]
    public void BuildThenFrame_ChunkedBody_RedeclaresTransferEncodingOnce()
    {
        var request = Request("POST", "/p", ("Host", "h"), ("Transfer-Encoding", "gzip, chunked"), ("TE", "trailers"));
        var body = RequestBody.FromStream(new BodyReader(_client.Reader, BodyFraming.Chunked));

        var sent = Build(request, _client, "");
        body.Frame(sent.Headers, targetSpeaksHttp10: false);

        Assert.Equal(1, sent.Headers.CountOf("Transfer-Encoding"));
        Assert.Equal("chunked", sent.Headers.Get("Transfer-Encoding"));
    }

    [Fact]
    public void BuildThenFrame_ContentLengthBody_KeepsContentLengthAndNoTransferEncoding()
    {
        var request = Request("POST", "/p", ("Host", "h"), ("Content-Length", "5"));
        var body = RequestBody.FromBuffer(new byte[5]);

        var sent = Build(request, _client, "");
        body.Frame(sent.Headers, targetSpeaksHttp10: false);

        Assert.Equal("5", sent.Headers.Get("Content-Length"));
        Assert.False(sent.Headers.Contains("Transfer-Encoding"));
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The upstream head for <paramref name="head"/> on a site whose upstream_host is <paramref name="upstreamHost"/>.</summary>
    private static RequestHead Build(RequestHead head, ClientSession client, string upstreamHost)
    {
        var settings = new ProxyOptions { UpstreamHost = upstreamHost };
        var targets = new RoundRobinSelector([new UpstreamTarget(new DnsEndPoint("127.0.0.1", 9), TimeProvider.System)]);
        var request = new ProxyRequest();
        RequestAuthority.Bind(request, head, null!, "http");
        request.Route(new Site(Site.DefaultName, settings, cache: true, targets, null, new SiteCounters()), targets);
        return UpstreamRequest.Build(request, client.RemoteText);
    }

    private static RequestHead Request(string method, string target, params (string Name, string Value)[] fields)
    {
        var headers = new HttpHeaders();
        foreach (var (name, value) in fields)
        {
            headers.Add(name, value);
        }
        return new RequestHead(method, target, HttpVersion.Http11, headers);
    }
}
