using BenchmarkDotNet.Attributes;
using InverseProxy.Http;

namespace InverseProxy.Benchmarks;

[MemoryDiagnoser]
public class HttpHeadParserBenchmarks
{
    private readonly HttpLimits _limits = HttpLimits.Default;

    [Benchmark(Description = "TryParseRequest browser GET (~500 B, 10 fields)")]
    public object RequestBrowserGet() => ParseRequest(Fixtures.BrowserGet);

    [Benchmark(Description = "TryParseRequest minimal GET")]
    public object RequestMinimalGet() => ParseRequest(Fixtures.MinimalGet);

    [Benchmark(Description = "TryParseResponse typical head (10 fields)")]
    public object ResponseTypical() =>
        HttpHeadParser.TryParseResponse(Fixtures.TypicalResponse, in _limits, out var head, out _)
            ? head!
            : throw new InvalidOperationException("incomplete response head");

    private object ParseRequest(byte[] wire) =>
        HttpHeadParser.TryParseRequest(wire, in _limits, out var head, out _)
            ? head!
            : throw new InvalidOperationException("incomplete request head");
}
