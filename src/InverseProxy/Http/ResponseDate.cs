using System.Globalization;

namespace InverseProxy.Http;

/// <summary>
/// The Date field for responses that lack one. RFC 9110 §6.6.1: an origin with a clock must send Date, and a proxy
/// may add it. The IMF-fixdate text changes once a second, so it is made once a second and shared: stamping a
/// response allocates nothing. Safe for any thread.
/// </summary>
internal sealed class ResponseDate
{
    private readonly TimeProvider _time;
    private Stamp _current = new(long.MinValue, ""); // replaced whole; Volatile

    public ResponseDate(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>The current second as an IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".</summary>
    public string Now
    {
        get
        {
            long second = _time.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond;
            var stamp = Volatile.Read(ref _current);
            if (stamp.Second != second)
            {
                var instant = new DateTimeOffset(second * TimeSpan.TicksPerSecond, TimeSpan.Zero);
                stamp = new Stamp(second, instant.ToString("r", CultureInfo.InvariantCulture));
                Volatile.Write(ref _current, stamp);
            }
            return stamp.Text;
        }
    }

    /// <summary>Adds Date to <paramref name="headers"/> unless the sender gave one.</summary>
    public void AddIfMissing(HttpHeaders headers)
    {
        if (!headers.Contains("Date"))
        {
            headers.Add("Date", Now);
        }
    }

    private sealed record Stamp(long Second, string Text);
}
