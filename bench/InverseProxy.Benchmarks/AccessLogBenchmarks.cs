using System.Net;
using BenchmarkDotNet.Attributes;
using InverseProxy.Logging;
using HttpVersion = InverseProxy.Http.HttpVersion;

namespace InverseProxy.Benchmarks;

/// <summary>
/// One access log line per format: Render formats only; Write formats and queues it to a real
/// <see cref="LogFileWriter"/> on a temp file (rotated at 64 MB so the run cannot fill the disk).
/// </summary>
[MemoryDiagnoser]
public class AccessLogBenchmarks
{
    private static readonly AccessLogEntry s_entry = new()
    {
        ClientAddress = IPAddress.Parse("203.0.113.54"),
        Method = "GET",
        Target = "/articles/2024/caching-reverse-proxies?page=2&sort=recent",
        Protocol = HttpVersion.Http11,
        Status = 200,
        BytesSent = 48213,
        Duration = TimeSpan.FromMilliseconds(3.2),
        Upstream = "127.0.0.1:9001",
        Cache = CacheResult.Miss,
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        Referer = "https://www.example.com/articles/2024/",
        ConnectionId = 42,
    };

    private string _directory = "";
    private LogFileWriter _writer = null!;
    private AccessLog _log = null!;

    [Params("text", "combined", "json")]
    public string Format { get; set; } = "text";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("inverseproxy-bench-").FullName;
        _writer = new LogFileWriter(Path.Combine(_directory, "access.log"), 64L * 1024 * 1024, 1, TimeProvider.System);
        _log = new AccessLog(_writer, AccessLogFormats.Parse(Format), TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Flush(TimeSpan.FromSeconds(10));
        // Write is only meaningful if the lines reached the queue rather than being dropped on a full ring.
        Console.WriteLine($"// access log {Format}: {_writer.DroppedLines} lines dropped on a full queue");
        _writer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "AccessLog.Render (format only)")]
    public int Render()
    {
        LineBuffer line = LineBuffer.Acquire();
        try
        {
            _log.Render(in s_entry, line);
            return line.Length;
        }
        finally
        {
            line.Release();
        }
    }

    [Benchmark(Description = "AccessLog.Write (format + queue to file)")]
    public void Write() => _log.Write(in s_entry);
}
