using BenchmarkDotNet.Attributes;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Benchmarks;

/// <summary>1,000 entries of 10 KB (about 10 MB) written to and read from a temp file; Write includes the fsync.</summary>
[MemoryDiagnoser]
public class CacheFileBenchmarks
{
    private const int Entries = 1_000;
    private const int BodySize = 10 * 1024;

    private string _directory = "";
    private string _writePath = "";
    private string _readPath = "";
    private IReadOnlyList<PersistedEntry> _snapshot = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("inverseproxy-bench-").FullName;
        _writePath = Path.Combine(_directory, "write.bin");
        _readPath = Path.Combine(_directory, "read.bin");
        var cache = new ResponseCache(Fixtures.CacheOptions(64L * 1024 * 1024, 1024 * 1024), TimeProvider.System);
        Fixtures.Fill(cache, Entries, BodySize);
        _snapshot = [.. cache.Snapshot(out _).Select(e => e!)];
        cache.EndSnapshot();
        var written = CacheFileWriter.Write(_readPath, _snapshot, TimeProvider.System.GetUtcNow());
        if (written.Outcome != CacheWriteOutcome.Written || written.EntriesWritten != Entries)
        {
            throw new InvalidOperationException($"setup write: {written}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Description = "CacheFileWriter.Write 1,000 x 10 KB")]
    public long Write() => CacheFileWriter.Write(_writePath, _snapshot, TimeProvider.System.GetUtcNow()).BytesWritten;

    [Benchmark(Description = "CacheFileReader.Load 1,000 x 10 KB")]
    public int Load()
    {
        var loaded = CacheFileReader.Load(_readPath);
        return loaded.Outcome == LoadOutcome.Complete ? loaded.Count : throw new InvalidOperationException(loaded.Reason);
    }
}
