using InverseProxy.Caching;
using InverseProxy.Http;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching;

public sealed class CacheFreshnessTests
{
    private static CachedResponse Entry(string cacheControl, TimeSpan lifetime) =>
        CachedResponse.Create("http://example.com/a", 200, "OK", Fields(("Cache-Control", cacheControl), ("Content-Length", "0")), [], Start, Start + lifetime);

    private static CacheRequestDirectives Request(string? cacheControl) =>
        CacheRequestDirectives.Parse(cacheControl is null ? Fields() : Fields(("Cache-Control", cacheControl)));

    [Fact]
    public void CorrectedInitialAge_AgeHeaderPlusDelay_WinsOverApparentAge()
    {
        var requestTime = Start;
        var responseTime = Start.AddSeconds(2);
        var headers = Fields(("Date", Date(Start)), ("Age", "10"));

        Assert.Equal(TimeSpan.FromSeconds(12), CachePolicy.CorrectedInitialAge(headers, requestTime, responseTime));
    }

    [Fact]
    public void CorrectedInitialAge_OldDate_ApparentAgeWins()
    {
        var headers = Fields(("Date", Date(Start.AddSeconds(-30))), ("Age", "5"));

        Assert.Equal(TimeSpan.FromSeconds(30), CachePolicy.CorrectedInitialAge(headers, Start, Start));
    }

    [Fact]
    public void CorrectedInitialAge_DateInTheFutureAndBadAge_ClampedToResponseDelay()
    {
        var headers = Fields(("Date", Date(Start.AddHours(1))), ("Age", "ten"));

        Assert.Equal(TimeSpan.FromSeconds(1), CachePolicy.CorrectedInitialAge(headers, Start, Start.AddSeconds(1)));
    }

    [Fact]
    public void CorrectedInitialAge_AgeList_FirstMemberCountsAndInvalidIgnored()
    {
        (string Age, int Seconds)[] cases = [("10, 20", 10), ("10, x", 10), ("-5", 0), ("1.5", 0), ("+3", 0), ("7", 7)];

        var ages = cases.Select(c => CachePolicy.CorrectedInitialAge(Fields(("Date", Date(Start)), ("Age", c.Age)), Start, Start));

        Assert.Equal(cases.Select(c => TimeSpan.FromSeconds(c.Seconds)), ages);
    }

    [Fact]
    public void FreshnessLifetime_Expires_ExactFormsAcceptedInvalidMeansExpired()
    {
        var policy = new CachePolicy(Options());
        (string Expires, bool Valid)[] cases =
        [
            ("Thu, 01 Jan 2026 01:00:00 GMT", true),
            ("Thursday, 01-Jan-26 01:00:00 GMT", true),
            ("Thu Jan  1 01:00:00 2026", true),
            ("Thu,  01 Jan 2026 01:00:00 GMT", false),
            ("Thu, 01 Jan 2026  01:00:00 GMT", false),
            ("Thu, 01 Jan 2026 01:00:00 gmt", false),
            ("thu, 01 jan 2026 01:00:00 GMT", false),
            ("2026-01-01T01:00:00Z", false),
        ];

        var lifetimes = cases.Select(c =>
        {
            var headers = Fields(("Date", Date(Start)), ("Expires", c.Expires));
            return policy.FreshnessLifetime(headers, ResponseDirectives.Parse(headers), Start);
        });

        Assert.Equal(cases.Select(c => (c.Valid ? TimeSpan.FromHours(1) : TimeSpan.Zero, "expires")), lifetimes);
    }

    [Fact]
    public void Evaluate_AgeHeader_MovesBirthBackSoEntryExpiresSooner()
    {
        var policy = new CachePolicy(Options());

        var decision = policy.Evaluate(Get("/a"), Ok(("Cache-Control", "max-age=60"), ("Age", "50")), Start, Start);

        Assert.Equal(Start.AddSeconds(-50), decision.BornAt);
        Assert.Equal(Start.AddSeconds(10), decision.ExpiresAt);
    }

    [Fact]
    public void AgeAt_AfterResidence_IsInitialAgePlusResidentTime()
    {
        var entry = CachedResponse.Create("http://example.com/a", 200, "OK", Fields(("Content-Length", "0")), [], Start.AddSeconds(-7), Start.AddSeconds(60));

        Assert.Equal(TimeSpan.FromSeconds(10), entry.AgeAt(Start.AddSeconds(3)));
        Assert.Equal(TimeSpan.Zero, entry.AgeAt(Start.AddSeconds(-100)));
    }

    [Fact]
    public void Classify_WithinLifetime_Fresh()
    {
        var entry = Entry("max-age=60", TimeSpan.FromSeconds(60));

        Assert.Equal(CacheLookupKind.Fresh, CachePolicy.Classify(entry, Request(null), Start.AddSeconds(59)));
        Assert.Equal(CacheLookupKind.Stale, CachePolicy.Classify(entry, Request(null), Start.AddSeconds(60)));
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("max-age=0")]
    public void Classify_RequestDemandsValidation_MustRevalidate(string cacheControl)
    {
        var entry = Entry("max-age=60", TimeSpan.FromSeconds(60));

        Assert.Equal(CacheLookupKind.MustRevalidate, CachePolicy.Classify(entry, Request(cacheControl), Start));
    }

    [Fact]
    public void Classify_ResponseNoCache_AlwaysMustRevalidate()
    {
        var entry = Entry("no-cache, max-age=60", TimeSpan.FromSeconds(60));

        Assert.Equal(CacheLookupKind.MustRevalidate, CachePolicy.Classify(entry, Request(null), Start));
    }

    [Fact]
    public void Classify_RequestMaxAgeBelowAge_Stale()
    {
        var entry = Entry("max-age=60", TimeSpan.FromSeconds(60));

        Assert.Equal(CacheLookupKind.Stale, CachePolicy.Classify(entry, Request("max-age=10"), Start.AddSeconds(11)));
        Assert.Equal(CacheLookupKind.Fresh, CachePolicy.Classify(entry, Request("max-age=10"), Start.AddSeconds(10)));
    }

    [Fact]
    public void Classify_MinFreshMoreThanRemaining_Stale()
    {
        var entry = Entry("max-age=60", TimeSpan.FromSeconds(60));

        Assert.Equal(CacheLookupKind.Stale, CachePolicy.Classify(entry, Request("min-fresh=30"), Start.AddSeconds(31)));
        Assert.Equal(CacheLookupKind.Fresh, CachePolicy.Classify(entry, Request("min-fresh=30"), Start.AddSeconds(30)));
    }

    [Fact]
    public void Classify_MaxStaleCoversStaleness_FreshUnlessMustRevalidate()
    {
        var plain = Entry("max-age=60", TimeSpan.FromSeconds(60));
        var strict = Entry("max-age=60, must-revalidate", TimeSpan.FromSeconds(60));
        var at = Start.AddSeconds(70);

        Assert.Equal(CacheLookupKind.Fresh, CachePolicy.Classify(plain, Request("max-stale=10"), at));
        Assert.Equal(CacheLookupKind.Stale, CachePolicy.Classify(plain, Request("max-stale=9"), at));
        Assert.Equal(CacheLookupKind.Fresh, CachePolicy.Classify(plain, Request("max-stale"), at));
        Assert.Equal(CacheLookupKind.Stale, CachePolicy.Classify(strict, Request("max-stale"), at));
    }

    [Fact]
    public void WithinStaleWindow_StaleWhileRevalidate_OnlyInsideWindowAndNotForMustRevalidate()
    {
        var swr = Entry("max-age=60, stale-while-revalidate=30", TimeSpan.FromSeconds(60));
        var strict = Entry("max-age=60, stale-while-revalidate=30, proxy-revalidate", TimeSpan.FromSeconds(60));

        Assert.True(CachePolicy.WithinStaleWindow(swr, swr.StaleWhileRevalidate, Start.AddSeconds(90)));
        Assert.False(CachePolicy.WithinStaleWindow(swr, swr.StaleWhileRevalidate, Start.AddSeconds(91)));
        Assert.False(CachePolicy.WithinStaleWindow(swr, swr.StaleIfError, Start.AddSeconds(61)));
        Assert.False(CachePolicy.WithinStaleWindow(strict, strict.StaleWhileRevalidate, Start.AddSeconds(61)));
    }
}
