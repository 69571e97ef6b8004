using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Proxy;

public sealed class DateHeaderTests
{
    [Fact]
    public void Relay_OriginSentNoDate_ProxyAddsOne()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("no date", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /d HTTP/1.1\r\nHost: h\r\n\r\n");

        AssertDateIsNow(response);
    }

    [Fact]
    public void Relay_OriginSentDate_KeptAsSentAndNotRepeated()
    {
        const string sent = "Tue, 15 Nov 1994 08:12:31 GMT";
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("dated", ("Cache-Control", "no-store"), ("Date", sent)));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /d HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(sent, response.Header("Date"));
        Assert.Equal(1, response.RawHead.Split("\r\nDate:").Length - 1);
    }

    [Fact]
    public void CacheHit_OriginSentNoDate_HitCarriesOneDate()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("cached, no date", ("Cache-Control", "max-age=60")));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);
        client.Exchange("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");

        var hit = client.Exchange("GET /c HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(1, origin.RequestCount); // served from the cache
        Assert.Equal("HIT", hit.Header("X-Cache"));
        AssertDateIsNow(hit);
        Assert.Equal(1, hit.RawHead.Split("\r\nDate:").Length - 1);
    }

    [Theory]
    [InlineData("CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 405)]
    [InlineData("GET /m HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    public void LocalAnswer_HasDate(string request, int status)
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange(request);

        Assert.Equal(status, response.Status());
        AssertDateIsNow(response);
    }

    [Fact]
    public void ForwardError_502HasDate()
    {
        using var down = DownedPort.Hold();
        using var proxy = ProxyInstance.Start(down.Port());
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(502, response.Status());
        AssertDateIsNow(response);
    }

    private static void AssertDateIsNow(WireMessage response)
    {
        string? date = response.Header("Date");
        Assert.NotNull(date);
        var parsed = DateTimeOffset.ParseExact(date, "r", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
