using System.Net;
using InverseProxy.Tests.TestSupport;
using InverseProxy.Upstream;

namespace InverseProxy.Tests.Upstream;

public sealed class UpstreamTargetTests
{
    private readonly ManualTimeProvider _time = new();

    [Theory]
    [InlineData("127.0.0.1", 8081, "127.0.0.1:8081")]
    [InlineData("origin.internal", 80, "origin.internal:80")]
    [InlineData("::1", 9000, "[::1]:9000")]
    public void Name_Endpoint_IsHostColonPort(string host, int port, string expected)
    {
        Assert.Equal(expected, new UpstreamTarget(new DnsEndPoint(host, port), _time).Name);
    }

    [Fact]
    public void New_Target_IsNotHeldDown()
    {
        var target = Target();

        Assert.False(target.IsHeldDown);
        Assert.Null(target.HeldDownUntil);
    }

    [Fact]
    public void MarkDown_HealthyTarget_HeldDownUntilTheClockPassesTheHoldDown()
    {
        var target = Target();
        var until = _time.GetUtcNow().AddSeconds(5);

        Assert.True(target.MarkDown(TimeSpan.FromSeconds(5)));

        Assert.True(target.IsHeldDown);
        Assert.Equal(until, target.HeldDownUntil);
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.True(target.IsHeldDown);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(target.IsHeldDown);
        Assert.Null(target.HeldDownUntil);
    }

    [Fact]
    public void MarkDown_AlreadyDown_ReturnsFalseAndExtendsTheHoldDown()
    {
        var target = Target();
        target.MarkDown(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.False(target.MarkDown(TimeSpan.FromSeconds(5)));

        Assert.Equal(_time.GetUtcNow().AddSeconds(5), target.HeldDownUntil);
        Assert.Equal(2, target.Failures);
    }

    [Fact]
    public void MarkDown_AfterHoldDownExpired_ReportsHealthyBefore()
    {
        var target = Target();
        target.MarkDown(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(target.MarkDown(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void MarkUp_HeldDownTarget_ClearsTheHoldDown()
    {
        var target = Target();
        target.MarkDown(TimeSpan.FromSeconds(5));

        Assert.True(target.MarkUp());

        Assert.False(target.IsHeldDown);
        Assert.Null(target.HeldDownUntil);
        Assert.False(target.MarkUp());
    }

    [Fact]
    public void MarkUp_HealthyTarget_ReturnsFalse()
    {
        Assert.False(Target().MarkUp());
    }

    [Fact]
    public void RecordRequest_ThreeTimes_CountsThree()
    {
        var target = Target();

        target.RecordRequest();
        target.RecordRequest();
        target.RecordRequest();

        Assert.Equal(3, target.Requests);
        Assert.Equal(0, target.Failures);
    }

    private UpstreamTarget Target() => new(new DnsEndPoint("127.0.0.1", 8081), _time);
}
