using System.Text;
using System.Text.Json;
using InverseProxy.LoadTest;

namespace InverseProxy.Tests.LoadTest;

public sealed class LoadTestResultTests
{
    private static readonly LoadTestResult Result = new(TimeSpan.FromSeconds(2), 300, 1,
        new Dictionary<int, long> { [429] = 100, [200] = 200 },
        TimeSpan.FromMicroseconds(1234), TimeSpan.FromMilliseconds(2.5), TimeSpan.FromMilliseconds(10));

    [Fact]
    public void ToText_Result_RateLatenciesErrorsAndStatusesInOrder()
    {
        Assert.Equal("""
            requests   300 in 2.0s, 150.0 req/s
            latency    p50 1.234 ms, p90 2.500 ms, p99 10.000 ms
            errors     1
            status 200 200
            status 429 100

            """.Replace("\r\n", "\n"), Result.ToText());
    }

    [Fact]
    public void WriteJson_Result_NamedFields()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Result.WriteJson(json);
            json.WriteEndObject();
        }

        Assert.Equal("""{"elapsed_seconds":2,"requests":300,"requests_per_second":150,"errors":1,"p50_ms":1.234,"p90_ms":2.5,"p99_ms":10,"statuses":{"200":200,"429":100}}""",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void ProgressLine_HalfWay_ElapsedRateAndErrors()
    {
        var progress = new LoadTestProgress(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), 500, 2);

        Assert.Equal("loadtest: 5s of 10s, 500 requests (100 req/s), 2 errors", progress.ToLine());
    }
}
