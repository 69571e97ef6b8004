using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;
using InverseProxy.FunctionalTests.TestSupport;
using InverseProxy.Http;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>A cache file far larger than cache_size is restored record by record, up to cache_size.</summary>
public sealed class CacheRestoreMemoryTests
{
    private const int Records = 600;
    private const int BodyBytes = 1024 * 1024;

    [Fact]
    public void Start_CacheFileTenTimesCacheSize_PeakResidentUnder200MBAndMostRecentKept()
    {
        string directory = TempDirectory.Create("restore-memory");
        try
        {
            using var origin = new ScriptedOrigin(r => OriginResponse.Text("from origin", ("Cache-Control", "no-store")));
            var written = CacheFileWriter.Write(Path.Combine(directory, "cache.bin"), new LargeFile(), DateTimeOffset.UtcNow);
            Assert.Equal(CacheWriteOutcome.Written, written.Outcome);
            Assert.True(new FileInfo(Path.Combine(directory, "cache.bin")).Length > 600L * 1000 * 1000);

            using var proxy = ProxyProcess.StartListening(directory, "cache_size = 64MB", $"targets = 127.0.0.1:{origin.Port}");
            var newest = Get(proxy.Port, "/e0");
            var oldest = Get(proxy.Port, $"/e{Records - 1}");
            long peakKb = StatusKb(proxy.Pid, "VmHWM");

            Assert.Equal(("HIT", BodyBytes), (newest.Header("X-Cache"), newest.Body.Length));
            Assert.Equal("from origin", oldest.BodyText);
            Assert.True(peakKb < 200 * 1024, $"peak resident {peakKb / 1024} MB after restoring a {Records} MB file into a 64 MB cache");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long StatusKb(int pid, string field)
    {
        string line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
    }

    /// <summary>600 one-megabyte entries, most recent first, sharing one body: the test itself stays small.</summary>
    private sealed class LargeFile : IReadOnlyList<PersistedEntry?>
    {
        private static readonly byte[] s_body = new byte[BodyBytes];
        private static readonly byte[] s_head = StoredHeadCodec.Encode(200, "OK", new HttpHeaders(
            [new HttpHeader("Cache-Control", "max-age=3600"), new HttpHeader("Content-Length", BodyBytes.ToString())]));
        private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

        public int Count => Records;

        public PersistedEntry? this[int index] =>
            new(CacheKey.Primary("", "http", "h", $"/e{index}"), s_head, s_body, _now, _now.AddHours(1));

        public IEnumerator<PersistedEntry?> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
