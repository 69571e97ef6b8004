using System.Net;
using InverseProxy.Proxy.Policy;
using Microsoft.Extensions.Time.Testing;

namespace InverseProxy.Tests.Proxy.Policy;

public sealed class ClientRateLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void TryAcquire_BucketEmptied_RefillsAtTheRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(new RateLimit(2, 's'), burst: 0, maxClients: 10, time);

        Assert.True(limiter.TryAcquire(A, out _));
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.False(limiter.TryAcquire(A, out int retryAfter));
        Assert.Equal(1, retryAfter);
        Assert.True(limiter.TryAcquire(B, out _)); // another client has its own bucket

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(limiter.TryAcquire(A, out _));
        Assert.False(limiter.TryAcquire(A, out _));
    }

    [Fact]
    public void TryAcquire_PerMinuteWithBurst_RetryAfterUntilNextToken()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(new RateLimit(6, 'm'), burst: 1, maxClients: 10, time);

        Assert.True(limiter.TryAcquire(A, out _));
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.False(limiter.TryAcquire(A, out int retryAfter));
        Assert.Equal(6, retryAfter);
    }

    [Fact]
    public void TryAcquire_TablePastItsBound_LeastRecentlySeenDropped()
    {
        var time = new FakeTimeProvider();
        var limiter = new ClientRateLimiter(new RateLimit(1, 'm'), burst: 0, maxClients: 2, time);
        var c = IPAddress.Parse("192.0.2.3");
        limiter.TryAcquire(A, out _);
        limiter.TryAcquire(B, out _);
        Assert.False(limiter.TryAcquire(A, out _)); // A is now the most recently seen

        limiter.TryAcquire(c, out _); // drops B

        Assert.Equal(2, limiter.Clients);
        Assert.True(limiter.TryAcquire(B, out _)); // B forgotten: a full bucket again (and A dropped now)
        Assert.True(limiter.TryAcquire(A, out _));
    }

    [Theory]
    [InlineData("100/s", 100, 's')]
    [InlineData("600/M", 600, 'm')]
    [InlineData("off", 0, '\0')]
    public void TryParse_Valid(string text, int count, char unit)
    {
        Assert.True(RateLimit.TryParse(text, out var limit));
        Assert.Equal(new RateLimit(count, unit), limit);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("0/s")]
    [InlineData("10/h")]
    [InlineData("-1/s")]
    [InlineData("x/s")]
    public void TryParse_Invalid(string text)
    {
        Assert.False(RateLimit.TryParse(text, out _));
    }
}
