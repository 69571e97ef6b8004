using System.Text.RegularExpressions;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Lifecycle;

public sealed partial class ProcessRunTests
{
    [Fact]
    public void Main_Sigterm_Exit0WithShutdownLinesAndCacheFile()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("cache me", ("Cache-Control", "max-age=300")));
        string directory = TempDirectory.Create("process");
        using var process = ProxyProcess.StartListening(directory, $"targets = 127.0.0.1:{origin.Port}", "unit_time = 1h");
        using (var client = new RawClient(process.Port))
        {
            Assert.Equal(200, client.Exchange("GET /kept HTTP/1.1\r\nHost: h\r\n\r\n").Status());
        }

        process.Terminate();

        Assert.True(process.WaitForExit(), "the proxy did not exit after SIGTERM");
        Assert.Equal(0, process.ExitCode);
        string log = File.ReadAllText(Path.Combine(directory, "proxy.log"));
        Assert.Contains("Shutting down", log);
        Assert.Contains("Stopped", log);
        // unit_time is an hour, so only the final flush on shutdown can have written the entry.
        var cacheFile = new FileInfo(Path.Combine(directory, "cache.bin"));
        Assert.True(cacheFile.Exists, "no cache file after shutdown");
        Assert.Contains("cache me", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(cacheFile.FullName)));
    }

    [Fact]
    public void Main_Requests_OneAccessLineEachWithMethodTargetStatusBytesAndUpstream()
    {
        using var origin = new ScriptedOrigin(r => r.Target == "/missing"
            ? new OriginResponse { Status = 404, Reason = "Not Found", Body = "nope"u8.ToArray() }
            : OriginResponse.Text("twelve bytes", ("Cache-Control", "no-store")));
        string directory = TempDirectory.Create("process");
        using var process = ProxyProcess.StartListening(directory, $"targets = 127.0.0.1:{origin.Port}");
        using (var client = new RawClient(process.Port))
        {
            client.Exchange("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
            client.Exchange("POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            client.Exchange("GET /missing HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        process.Terminate();
        Assert.True(process.WaitForExit());

        var access = File.ReadAllLines(Path.Combine(directory, "proxy.log"))
            .Select(l => AccessLine().Match(l)).Where(m => m.Success).ToList();

        string upstream = $"127.0.0.1:{origin.Port}";
        Assert.Equal(3, access.Count);
        Assert.Equal(["GET /one 200 12", "POST /two 200 12", "GET /missing 404 4"], access.Select(m => $"{m.Groups["method"]} {m.Groups["target"]} {m.Groups["status"]} {m.Groups["bytes"]}"));
        Assert.All(access, m => Assert.Equal(upstream, m.Groups["upstream"].Value));
    }

    // 2026-11-22T10:00:00.123Z 127.0.0.1 "GET /a HTTP/1.1" 200 1024 3.2ms target=127.0.0.1:9001 cache=MISS conn=42 site=default
    [GeneratedRegex("""^\S+Z \S+ "(?<method>\S+) (?<target>\S+) HTTP/1\.[01]" (?<status>\d{3}) (?<bytes>\d+) \S+ms target=(?<upstream>\S+) cache=\S+ conn=\d+ site=\S+$""")]
    private static partial Regex AccessLine();
}
