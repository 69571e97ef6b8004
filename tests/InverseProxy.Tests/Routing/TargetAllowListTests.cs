using System.Net;
using InverseProxy.Routing;

namespace InverseProxy.Tests.Routing;

public sealed class TargetAllowListTests
{
    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("fd00::5", true)]
    [InlineData("fe80::1", false)]
    [InlineData("127.0.0.1", false)]
    public void AllowsAddress_InsideANetwork(string address, bool allowed)
    {
        var list = TargetAllowList.Parse(["10.0.0.0/8", "fd00::/8"], []);

        Assert.Equal(allowed, list.AllowsAddress(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("svc.internal", true)]
    [InlineData("a.svc.internal", true)]
    [InlineData("A.SVC.Internal", true)]
    [InlineData("xsvc.internal", false)]
    [InlineData("svc.internal.evil.test", false)]
    [InlineData("internal", false)]
    public void AllowsName_TheNameAndNamesUnderIt(string host, bool allowed)
    {
        var list = TargetAllowList.Parse(["svc.internal"], []);

        Assert.Equal(allowed, list.AllowsName(host));
    }

    [Fact]
    public void Parse_BadEntries_Reported()
    {
        var invalid = new List<string>();

        var list = TargetAllowList.Parse(["10.0.0.0/33", "not a name", "*.x.test", "192.168.0.0/16"], invalid);

        Assert.Equal(["10.0.0.0/33", "not a name", "*.x.test"], invalid);
        Assert.True(list.AllowsAddress(IPAddress.Parse("192.168.1.1")));
    }
}
