using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

/// <summary>Targets that send a small body in a write after its head, as nginx does with a file.</summary>
public sealed class SplitResponseTests
{
    private const string Body = "body sent after its head";

    [Fact]
    public void Get_CacheableBodyAfterItsHead_RelayedWholeThenServedFromCache()
    {
        using var origin = new ScriptedOrigin(_ => Split("max-age=60"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /split HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = client.Exchange("GET /split HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(200, first.Status());
        Assert.Equal(Body, first.BodyText);
        Assert.Equal(Body, second.BodyText);
        Assert.Equal(1, origin.RequestCount);
    }

    [Fact]
    public void Get_UncacheableBodyAfterItsHead_EachRelayedWholeOnOneTargetConnection()
    {
        using var origin = new ScriptedOrigin(_ => Split("no-store"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        for (int i = 0; i < 3; i++)
        {
            var response = client.Exchange($"GET /split/{i} HTTP/1.1\r\nHost: h\r\n\r\n");
            Assert.Equal(200, response.Status());
            Assert.Equal(Body, response.BodyText);
            Assert.Equal(Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Header("Content-Length"));
        }

        Assert.Equal(3, origin.RequestCount);
        Assert.Equal(1, origin.ConnectionCount);
    }

    private static OriginResponse Split(string cacheControl) => new()
    {
        Body = System.Text.Encoding.ASCII.GetBytes(Body),
        Headers = { new("Cache-Control", cacheControl) },
        BodyAfter = TimeSpan.FromMilliseconds(50),
    };
}
