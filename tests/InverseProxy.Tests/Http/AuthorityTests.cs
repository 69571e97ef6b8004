using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class AuthorityTests
{
    [Theory]
    [InlineData("example.com", "example.com", 11)]
    [InlineData("Example.COM", "example.com", 11)]
    [InlineData("example.com.", "example.com", 11)]
    [InlineData("example.com:80", "example.com", 11)]
    [InlineData("example.com:8080", "example.com:8080", 11)]
    [InlineData("EXAMPLE.com.:8080", "example.com:8080", 11)]
    [InlineData("127.0.0.1", "127.0.0.1", 9)]
    [InlineData("127.0.0.1:80", "127.0.0.1", 9)]
    [InlineData("[::1]", "[::1]", 5)]
    [InlineData("[0:0::1]:80", "[::1]", 5)]
    [InlineData("[::1]:8080", "[::1]:8080", 5)]
    [InlineData("[2001:DB8::1]", "[2001:db8::1]", 13)]
    [InlineData("a_b-c.test", "a_b-c.test", 10)]
    [InlineData("x:1", "x:1", 1)]
    [InlineData("x:65535", "x:65535", 1)]
    public void TryNormalize_Valid_NormalForm(string text, string expected, int hostLength)
    {
        Assert.True(Authority.TryNormalize(text, 80, out string authority, out int length));
        Assert.Equal(expected, authority);
        Assert.Equal(hostLength, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a,b")]
    [InlineData("a, b")]
    [InlineData("victim.example/a")]
    [InlineData("victim.example?q")]
    [InlineData("victim.example#f")]
    [InlineData("user@victim.example")]
    [InlineData("user:pass@victim.example")]
    [InlineData("victim.example:")]
    [InlineData("victim.example:0")]
    [InlineData("victim.example:65536")]
    [InlineData("victim.example:123456")]
    [InlineData("victim.example:8a")]
    [InlineData("victim.example:+80")]
    [InlineData("victim.example:80:80")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData(".")]
    [InlineData("a.b..")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[::1]:")]
    [InlineData("[127.0.0.1]")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("[v1.x]")]
    [InlineData("::1")]
    [InlineData("ex%41mple.com")]
    [InlineData("exa\u0001mple.com")]
    [InlineData("exämple.com")]
    [InlineData("a!b")]
    [InlineData("a;b")]
    [InlineData("a=b")]
    [InlineData("a*b")]
    public void TryNormalize_Invalid_Refused(string text)
    {
        Assert.False(Authority.TryNormalize(text, 80, out _, out _));
    }

    [Fact]
    public void TryNormalize_NameLongerThanDnsAllows_Refused()
    {
        string label = new('a', 63);
        string longest = string.Join('.', label, label, label, label[..61]);
        Assert.Equal(Authority.MaxHostLength, longest.Length);

        Assert.True(Authority.TryNormalize(longest, 80, out _, out _));
        Assert.True(Authority.TryNormalize(longest + ".", 80, out _, out _));
        Assert.False(Authority.TryNormalize(longest + "a", 80, out _, out _));
    }

    [Fact]
    public void TryNormalize_AlreadyNormal_SameInstance()
    {
        string text = new("example.com:8080".AsSpan());

        Assert.True(Authority.TryNormalize(text, 80, out string authority, out _));
        Assert.Same(text, authority);
    }

    [Fact]
    public void TryNormalize_HttpsDefaultPort_DroppedOnlyForItsScheme()
    {
        Assert.True(Authority.TryNormalize("example.com:443", 443, out string https, out _));
        Assert.True(Authority.TryNormalize("example.com:443", 80, out string http, out _));

        Assert.Equal("example.com", https);
        Assert.Equal("example.com:443", http);
    }
}
