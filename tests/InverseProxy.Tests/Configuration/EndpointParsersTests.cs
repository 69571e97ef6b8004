using System.Net;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class EndpointParsersTests
{
    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    public void TryParseAddress_ValidText_ReturnsAddress(string text, string expected)
    {
        Assert.True(EndpointParsers.TryParseAddress(text, out var address));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("127.1")]
    [InlineData("256.0.0.1")]
    [InlineData("example.com")]
    [InlineData("1.2.3.4:80")]
    public void TryParseAddress_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(EndpointParsers.TryParseAddress(text, out _));
    }

    [Theory]
    [InlineData("127.0.0.1:9001", "127.0.0.1", 9001)]
    [InlineData("origin.internal:80", "origin.internal", 80)]
    [InlineData("localhost:65535", "localhost", 65535)]
    [InlineData("[::1]:8080", "::1", 8080)]
    public void TryParseTarget_ValidText_ReturnsEndPoint(string text, string host, int port)
    {
        Assert.True(EndpointParsers.TryParseTarget(text, out var endPoint));
        Assert.Equal(host, endPoint.Host);
        Assert.Equal(port, endPoint.Port);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData(":80")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:-1")]
    [InlineData("host:http")]
    [InlineData("::1:80")]
    [InlineData("[::1]")]
    [InlineData("[example]:80")]
    [InlineData("bad host:80")]
    [InlineData("http://host:80")]
    public void TryParseTarget_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(EndpointParsers.TryParseTarget(text, out _));
    }

    [Fact]
    public void FormatTarget_Ipv6Host_AddsBrackets()
    {
        Assert.Equal("[::1]:80", EndpointParsers.FormatTarget(new DnsEndPoint("::1", 80)));
    }
}
