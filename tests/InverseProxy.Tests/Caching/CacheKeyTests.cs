using InverseProxy.Caching;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;
using static InverseProxy.Tests.Caching.ResponseCacheByHead;

namespace InverseProxy.Tests.Caching;

public sealed class CacheKeyTests
{
    [Theory]
    [InlineData("Example.COM", "http://example.com/a?b=1")]
    [InlineData("example.com:80", "http://example.com/a?b=1")]
    [InlineData("example.com:8080", "http://example.com:8080/a?b=1")]
    [InlineData("[::1]:80", "http://[::1]/a?b=1")]
    [InlineData("[::1]", "http://[::1]/a?b=1")]
    public void Primary_HostForms_Normalised(string host, string expected)
    {
        Assert.Equal(expected, KeyOf(Get("/a?b=1", ("Host", host)), "http"));
    }

    [Fact]
    public void Primary_FreshHeadsWithEqualHostAndTarget_OneKeyInstance()
    {
        // As two new connections' first requests are: no head-level memo, equal strings in separate instances.
        var first = Get(new string("/shared/key".AsSpan()), ("Host", new string("example.com".AsSpan())));
        var second = Get(new string("/shared/key".AsSpan()), ("Host", new string("example.com".AsSpan())));

        Assert.Same(KeyOf(first, "http"), KeyOf(second, "http"));
    }

    [Fact]
    public void Primary_ManyHostsAndTargets_EachKeyFollowsItsOwnRequest()
    {
        // More combinations than the shared table has slots: a slot taken by another request must never answer.
        var requests = Enumerable.Range(0, 5_000).Select(i => (Host: $"h{i % 37}.example", Target: $"/p/{i}")).ToArray();
        foreach (var (host, target) in requests.Concat(requests.Reverse()))
        {
            Assert.Equal($"http://{host}{target}", KeyOf(Get(target, ("Host", host)), "http"));
            Assert.Equal($"https://{host}{target}", KeyOf(Get(target, ("Host", host)), "https"));
        }
    }

    [Fact]
    public void Primary_HttpsDefaultPort_Dropped()
    {
        Assert.Equal("https://example.com/", KeyOf(Get("/", ("Host", "example.com:443")), "https"));
        Assert.Equal("https://example.com:80/", KeyOf(Get("/", ("Host", "example.com:80")), "https"));
    }

    [Fact]
    public void Primary_AbsoluteFormTarget_UsesItsAuthorityAndPath()
    {
        var request = Get("http://Other.Example:80/p?q", ("Host", "ignored.example"));

        Assert.Equal("http://other.example/p?q", KeyOf(request, "http"));
        Assert.Equal("http://other.example/", KeyOf(Get("http://other.example"), "http"));
    }

    [Fact]
    public void Primary_GetAndHead_ShareTheKey()
    {
        Assert.Equal(KeyOf(Get("/a"), "http"), KeyOf(Request("HEAD", "/a"), "http"));
    }

    [Fact]
    public void Primary_TargetKeptAsSent()
    {
        Assert.NotEqual(KeyOf(Get("/A"), "http"), KeyOf(Get("/a"), "http"));
    }

    [Fact]
    public void WithVariant_NamesSortedValuesTrimmedMissingDistinctFromEmpty()
    {
        string[] names = ["accept-encoding", "x-lang"];
        var present = new HttpHeaders([new("X-Lang", "  en "), new("Accept-Encoding", "gzip")]);
        var empty = new HttpHeaders([new("Accept-Encoding", "")]);
        var missing = new HttpHeaders();

        Assert.Equal("k\naccept-encoding=gzip\nx-lang=en", CacheKey.WithVariant("k", names, present));
        Assert.Equal("k\naccept-encoding=\nx-lang", CacheKey.WithVariant("k", names, empty));
        Assert.Equal("k\naccept-encoding\nx-lang", CacheKey.WithVariant("k", names, missing));
    }

    [Fact]
    public void TrySplit_VariantKey_GivesBackNamesAndValues()
    {
        Assert.True(CacheKey.TrySplit("http://h/a\naccept=\nx-a=1=2\nx-b", out string primary, out var names, out var values));

        Assert.Equal("http://h/a", primary);
        Assert.Equal(["accept", "x-a", "x-b"], names);
        Assert.Equal(new string?[] { "", "1=2", null }, values);
    }

    [Fact]
    public void VaryTryGetNames_DuplicatesAndCase_LowerSortedDistinct()
    {
        var headers = new HttpHeaders([new("Vary", "X-B, accept-encoding"), new("vary", "Accept-Encoding,,")]);

        Assert.True(VaryFields.TryGetNames(headers, out var names));
        Assert.Equal(["accept-encoding", "x-b"], names);
    }

    [Fact]
    public void Primary_HeadReusedForAnotherHostOrTarget_KeyFollows()
    {
        var request = Heads.Get("/a", ("Host", "one.example"));
        Assert.Equal("http://one.example/a", KeyOf(request, "http"));

        // A head refilled for the next request on its connection, as the parser does.
        request.Headers.SetAt(0, new HttpHeader("Host", "two.example"));
        Assert.Equal("http://two.example/a", KeyOf(request, "http"));

        request.Reuse("GET", "/b", HttpVersion.Http11);
        Assert.Equal("http://two.example/b", KeyOf(request, "http"));
        Assert.Equal("https://two.example/b", KeyOf(request, "https"));
    }
}
