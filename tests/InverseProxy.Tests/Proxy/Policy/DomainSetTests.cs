using System.Diagnostics;
using InverseProxy.Proxy.Policy;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Proxy.Policy;

public sealed class DomainSetTests
{
    [Theory]
    [InlineData("ads.example", true)]
    [InlineData("a.b.ads.example", true)]
    [InlineData("ADS.Example.", true)]
    [InlineData("bads.example", false)]
    [InlineData("example", false)]
    [InlineData("tracker.test", true)]
    [InlineData("x.wild.test", true)]
    [InlineData("second.test", true)]
    [InlineData("localhost", false)]
    [InlineData("commented.test", false)]
    public void Contains_HostOrParentListed(string host, bool expected)
    {
        var set = DomainSet.Parse([
            "# a comment",
            "0.0.0.0 ads.example",
            "127.0.0.1 localhost",
            "::1 ip6-localhost",
            "tracker.test   # inline comment",
            "*.wild.test",
            "0.0.0.0 first.test second.test",
            "",
            "   ",
            "#commented.test",
        ]);

        Assert.Equal(expected, set.Contains(host));
    }

    [Fact]
    public void Parse_AddressesAndLocalNames_NotListed()
    {
        var set = DomainSet.Parse(["0.0.0.0 0.0.0.0", "127.0.0.1 localhost localhost.localdomain", "255.255.255.255 broadcasthost"]);

        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Load_HundredThousandLines_UnderOneSecondAndFindsEach()
    {
        using var directory = new TempDirectory();
        string path = directory.WriteFile("blocked.txt", string.Join('\n', Enumerable.Range(0, 100_000).Select(i => $"0.0.0.0 d{i}.example.com")));
        // The best of three loads: the machine running the tests is shared, and one load may be stopped for a while.
        var best = TimeSpan.MaxValue;
        DomainSet set = null!;
        for (int i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            set = DomainSet.Load(path);
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }

        Assert.Equal(100_000, set.Count);
        Assert.True(best < TimeSpan.FromSeconds(1), $"loaded in {best.TotalMilliseconds}ms at best");
        Assert.True(set.Contains("cdn.d99999.example.com"));
        Assert.False(set.Contains("example.com"));
    }
}
