using System.Net;
using InverseProxy.Routing;

namespace InverseProxy.Tests.Routing;

public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.1.2.3", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2606:2800:21f:cb07::1", true)]
    public void IsPublic_Address_RefusesPrivateAndSpecialRanges(string address, bool expected)
    {
        Assert.Equal(expected, PublicAddresses.IsPublic(IPAddress.Parse(address)));
    }

    [Fact]
    public void TargetAllowList_PublicEntry_AdmitsPublicAddressesOnly()
    {
        var invalid = new List<string>();
        var allow = TargetAllowList.Parse(["public", "127.0.0.0/8"], invalid);

        Assert.Empty(invalid);
        Assert.True(allow.AllowsAddress(IPAddress.Parse("93.184.215.14")));
        Assert.True(allow.AllowsAddress(IPAddress.Loopback));
        Assert.False(allow.AllowsAddress(IPAddress.Parse("10.0.0.1")));
        Assert.Equal("public, 127.0.0.0/8", allow.ToString());
    }
}
