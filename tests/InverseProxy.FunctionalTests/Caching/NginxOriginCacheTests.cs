using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

public sealed class NginxOriginCacheTests
{
    [Fact]
    public void Get_StaticFileFromNginx_MissThenHitWithIdenticalBytes()
    {
        var content = new byte[50_000];
        new Random(42).NextBytes(content);
        using var nginx = NginxOrigin.Start(new Dictionary<string, byte[]> { ["file.bin"] = content });
        using var proxy = ProxyInstance.Start(nginx.Port);

        var first = GetStored(proxy, "/file.bin");
        var second = Get(proxy.Port, "/file.bin");

        Assert.Equal("HTTP/1.1 200 OK", first.StartLine);
        Assert.Equal("max-age=60", first.Header("Cache-Control"));
        Assert.Equal("MISS", first.Header("X-Cache"));
        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal(content, first.Body);
        Assert.Equal(content, second.Body);
        Assert.Equal(1, nginx.RequestCount);
    }
}
