using System.Text;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

public sealed class CacheHitTests
{
    [Fact]
    public void Get_CacheableResponse_SecondServedFromCacheWithAge()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("cached body", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var first = GetStored(proxy, "/a");
        var second = Get(proxy.Port, "/a");

        Assert.Equal("MISS", first.Header("X-Cache"));
        Assert.StartsWith("InverseProxy; fwd=miss; stored", first.Header("Cache-Status"));
        Assert.Equal("HTTP/1.1 200 OK", second.StartLine);
        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.StartsWith("InverseProxy; hit", second.Header("Cache-Status"));
        Assert.Equal("cached body", second.BodyText);
        Assert.True(long.Parse(second.Header("Age")!) >= 0);
        Assert.Equal(1, second.CountOf("Age"));
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void OneKeepAliveConnection_HostsAndPathsTakenInTurn_EachServedItsOwnResponse()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"{r.Header("Host")}{r.Target}", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        string[] hosts = ["one.example", "two.example"];
        string[] paths = ["/a", "/b"];

        // Requests on one connection reuse parsed strings and cache keys where the bytes repeat; a changed host or
        // path must never be answered with another's entry.
        for (int round = 0; round < 3; round++)
        {
            foreach (string host in hosts)
            {
                foreach (string path in paths)
                {
                    var response = client.Exchange($"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Round: {round}\r\n\r\n");
                    Assert.Equal(host + path, response.BodyText);
                    Assert.Equal(round == 0 ? "MISS" : "HIT", response.Header("X-Cache"));
                }
            }
        }
        Assert.Equal(4, origin.RequestCount);
    }

    [Fact]
    public void Head_AfterStoredGet_AnsweredFromCacheWithoutBody()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("0123456789", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/a");
        using var client = new RawClient(proxy.Port);

        var head = client.Exchange("HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n", headRequest: true);
        // A body written after the HEAD answer would be read as the start of this response.
        var next = client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", head.StartLine);
        Assert.Equal("HIT", head.Header("X-Cache"));
        Assert.Equal("10", head.Header("Content-Length"));
        Assert.Equal("HTTP/1.1 200 OK", next.StartLine);
        Assert.Equal("0123456789", next.BodyText);
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_NoFreshnessInformation_StoredForConfiguredTtl()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("unmarked"));
        using var proxy = ProxyInstance.Start(o => o.Ttl = TimeSpan.FromSeconds(300), origin.Port);

        GetStored(proxy, "/u");
        var second = Get(proxy.Port, "/u");

        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal("unmarked", second.BodyText);
        Assert.InRange(CacheStatusTtl(second), 240, 300);
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_NoFreshnessInformationWithCacheUnmarkedOff_NotStored()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("unmarked"));
        using var proxy = ProxyInstance.Start(o => o.CacheUnmarked = false, origin.Port);

        Get(proxy.Port, "/u");
        var second = Get(proxy.Port, "/u");

        Assert.Equal("MISS", second.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_AfterMaxAgeExpires_GoesToOriginAgain()
    {
        int served = 0;
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"v{Interlocked.Increment(ref served)}", ("Cache-Control", "max-age=1")));
        using var proxy = ProxyInstance.Start(origin.Port);
        Assert.Equal("v1", GetStored(proxy, "/t").BodyText);

        WireMessage? last = null;
        bool refetched = Poll.Until(() =>
        {
            last = Get(proxy.Port, "/t");
            return origin.RequestCount > 1;
        });

        Assert.True(refetched, "the entry never went stale");
        Assert.Equal("MISS", last!.Header("X-Cache"));
        Assert.Equal("v2", last.BodyText);
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_VaryAcceptEncoding_OneVariantPerValue()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text(
            $"enc={r.Header("Accept-Encoding") ?? "none"}", ("Cache-Control", "max-age=60"), ("Vary", "Accept-Encoding")));
        using var proxy = ProxyInstance.Start(origin.Port);

        var gzip1 = GetStored(proxy, "/v", "Accept-Encoding: gzip");
        var br1 = GetStored(proxy, "/v", "Accept-Encoding: br");
        var gzip2 = Get(proxy.Port, "/v", "Accept-Encoding: gzip");
        var br2 = Get(proxy.Port, "/v", "Accept-Encoding: br");
        Assert.Equal(2, origin.RequestCount);
        var none = Get(proxy.Port, "/v");

        Assert.Equal(("enc=gzip", "enc=br"), (gzip1.BodyText, br1.BodyText));
        Assert.Equal(("enc=gzip", "HIT"), (gzip2.BodyText, gzip2.Header("X-Cache")));
        Assert.Equal(("enc=br", "HIT"), (br2.BodyText, br2.Header("X-Cache")));
        Assert.Equal(("enc=none", "MISS"), (none.BodyText, none.Header("X-Cache")));
        Assert.Equal(3, origin.RequestCount);
    }

    [Fact]
    public void Get_CacheSizeZero_EveryRequestReachesOrigin()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(o => o.CacheSize = 0, origin.Port);

        var responses = Enumerable.Range(0, 3).Select(_ => Get(proxy.Port, "/z")).ToList();

        Assert.All(responses, r => Assert.Equal("x", r.BodyText));
        Assert.All(responses, r => Assert.NotEqual("HIT", r.Header("X-Cache")));
        Assert.Equal(3, origin.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Get_ResponseOverMaxEntrySize_RelayedWholeButNotStored(bool chunked)
    {
        byte[] body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => $"{i % 10}abc")));
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = body,
            Chunked = chunked,
            Headers = [new("Cache-Control", "max-age=60")],
        });
        using var proxy = ProxyInstance.Start(o => o.MaxEntrySize = 1024, origin.Port);

        var first = Get(proxy.Port, "/big");
        var second = Get(proxy.Port, "/big");

        Assert.Equal(body, first.Body);
        Assert.Equal(body, second.Body);
        Assert.Equal("MISS", second.Header("X-Cache"));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Get_VaryAcceptEncodingAndLanguage_CaseSpacingOrderSelectSameVariant()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text(
            $"enc={r.Header("Accept-Encoding")}", ("Cache-Control", "max-age=60"), ("Vary", "Accept-Encoding, Accept-Language")));
        using var proxy = ProxyInstance.Start(origin.Port);
        GetStored(proxy, "/n", "Accept-Encoding: gzip, br", "Accept-Language: en-US, fr;q=0.5");

        var same = Get(proxy.Port, "/n", "Accept-Encoding: BR,gzip", "Accept-Language: fr; q=0.5 , en-us");
        var other = Get(proxy.Port, "/n", "Accept-Encoding: gzip", "Accept-Language: en-US, fr;q=0.5");

        Assert.Equal(("HIT", "enc=gzip, br"), (same.Header("X-Cache"), same.BodyText));
        Assert.Equal(("MISS", "enc=gzip"), (other.Header("X-Cache"), other.BodyText));
        Assert.Equal(2, origin.RequestCount);
    }
}
