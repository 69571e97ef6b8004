using InverseProxy.Http;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Http;

public sealed class ResponseDateTests
{
    [Fact]
    public void Now_FormatsImfFixdate()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(1994, 11, 6, 8, 49, 37, 250, TimeSpan.Zero));

        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", new ResponseDate(time).Now);
    }

    [Fact]
    public void Now_WithinOneSecond_SameStringInstance()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 100, TimeSpan.Zero));
        var date = new ResponseDate(time);
        string first = date.Now;

        time.Advance(TimeSpan.FromMilliseconds(800));

        Assert.Same(first, date.Now);
    }

    [Fact]
    public void Now_NextSecond_NewText()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, 900, TimeSpan.Zero));
        var date = new ResponseDate(time);
        _ = date.Now;

        time.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal("Thu, 01 Jan 2026 00:00:01 GMT", date.Now);
    }

    [Fact]
    public void AddIfMissing_SenderGaveDate_KeepsIt()
    {
        var date = new ResponseDate(new ManualTimeProvider());
        var headers = new HttpHeaders();
        headers.Add("Date", "Tue, 15 Nov 1994 08:12:31 GMT");

        date.AddIfMissing(headers);

        Assert.Equal(1, headers.Count);
        Assert.Equal("Tue, 15 Nov 1994 08:12:31 GMT", headers.Get("Date"));
    }

    [Fact]
    public void AddIfMissing_NoDate_AddsCurrentSecond()
    {
        var date = new ResponseDate(new ManualTimeProvider());
        var headers = new HttpHeaders();

        date.AddIfMissing(headers);

        Assert.Equal("Thu, 01 Jan 2026 00:00:00 GMT", headers.Get("Date"));
    }
}
