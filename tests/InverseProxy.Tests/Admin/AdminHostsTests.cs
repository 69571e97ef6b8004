using System.Net;
using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class AdminHostsTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:8081")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:8081")]
    [InlineData("[::1]")]
    [InlineData("[::1]:8081")]
    [InlineData("10.0.0.5:8081")] // the bound address
    [InlineData("192.168.1.7")]   // the address the connection arrived on
    public void IsAllowed_LoopbackOrOwnAddress_True(string host)
    {
        Assert.True(AdminHosts.IsAllowed(host, IPAddress.Parse("10.0.0.5"), IPAddress.Parse("192.168.1.7")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evil.example")]             // DNS rebinding: the attacker's name resolved to 127.0.0.1
    [InlineData("evil.example:8081")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("10.0.0.6")]
    [InlineData("127.1")]                    // short form IPAddress.Parse would take
    [InlineData("::1")]                      // IPv6 without brackets
    [InlineData("[::1")]
    [InlineData("localhost:")]
    [InlineData("localhost:80x")]
    [InlineData("localhost:8081:1")]
    [InlineData("[127.0.0.1]")]
    public void IsAllowed_OtherNames_False(string? host)
    {
        Assert.False(AdminHosts.IsAllowed(host, IPAddress.Parse("10.0.0.5"), IPAddress.Parse("192.168.1.7")));
    }

    [Fact]
    public void IsAllowed_ConnectionArrivedOnMappedAddress_MatchesItsIPv4Form()
    {
        Assert.True(AdminHosts.IsAllowed("192.168.1.7:8081", IPAddress.IPv6Any, IPAddress.Parse("::ffff:192.168.1.7")));
    }
}
