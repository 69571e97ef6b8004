using System.Text;
using BenchmarkDotNet.Attributes;
using InverseProxy.Http;

namespace InverseProxy.Benchmarks;

[MemoryDiagnoser]
public class ChunkedDecoderBenchmarks
{
    private const int BodySize = 64 * 1024;
    private const int ChunkSize = 4 * 1024;

    private readonly ChunkedDecoder _decoder = new();
    private byte[] _wire = [];

    [GlobalSetup]
    public void Setup()
    {
        var chunk = new byte[ChunkSize];
        new Random(7).NextBytes(chunk);
        using var wire = new MemoryStream();
        for (int sent = 0; sent < BodySize; sent += ChunkSize)
        {
            wire.Write(Encoding.ASCII.GetBytes(ChunkSize.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
            wire.Write(chunk);
            wire.Write("\r\n"u8);
        }
        wire.Write("0\r\n\r\n"u8);
        _wire = wire.ToArray();
    }

    /// <summary>The whole 64 KB chunked body (16 chunks of 4 KB) in one buffer, as a reader sees it after a big read.</summary>
    [Benchmark(Description = "Decode 64 KB body in 4 KB chunks")]
    public int Decode64KiB()
    {
        _decoder.Reset();
        ReadOnlySpan<byte> input = _wire;
        int data = 0;
        while (true)
        {
            var status = _decoder.Decode(input, out int consumed, out _, out int length);
            data += length;
            input = input[consumed..];
            if (status == ChunkedStatus.Done)
            {
                return data == BodySize ? data : throw new InvalidOperationException($"decoded {data} bytes");
            }
            if (status == ChunkedStatus.NeedMore)
            {
                throw new InvalidOperationException("the body ended early");
            }
        }
    }
}
