using System.Globalization;

namespace InverseProxy.LoadTest;

/// <summary>A running load test's figures so far.</summary>
internal readonly record struct LoadTestProgress(TimeSpan Elapsed, TimeSpan Duration, long Requests, long Errors)
{
    /// <summary>The line printed once a second while a test runs.</summary>
    public string ToLine()
    {
        double rate = Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"loadtest: {Elapsed.TotalSeconds:0}s of {Duration.TotalSeconds:0}s, {Requests} requests ({rate:0} req/s), {Errors} errors");
    }
}
