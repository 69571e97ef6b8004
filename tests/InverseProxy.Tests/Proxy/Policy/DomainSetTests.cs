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
        // The load's own CPU time (this thread's, from the scheduler): the machine running the tests is shared, and
        // its wall time measures the other tenants as much as the load.
        long before = ThreadCpuNanoseconds();
        var set = DomainSet.Load(path);
        var cpu = TimeSpan.FromTicks((ThreadCpuNanoseconds() - before) / 100);

        Assert.Equal(100_000, set.Count);
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"loaded in {cpu.TotalMilliseconds}ms of CPU");
        Assert.True(set.Contains("cdn.d99999.example.com"));
        Assert.False(set.Contains("example.com"));
    }

    /// <summary>The CPU time of the calling thread: the first field of /proc/thread-self/schedstat, in nanoseconds.</summary>
    private static long ThreadCpuNanoseconds() =>
        long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
