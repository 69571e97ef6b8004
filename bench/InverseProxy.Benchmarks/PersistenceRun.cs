using System.Diagnostics;
using System.Globalization;
using InverseProxy.Caching;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Benchmarks;

/// <summary>
/// Cache file write and load at a given cache size, one step per process so each resident-memory figure is its own:
/// <c>write FILE BYTES BODY_BYTES</c> fills a cache with BODY_BYTES-sized entries up to BYTES, then writes its
/// snapshot; <c>load FILE BYTES</c> reads the file and restores it into an empty cache of BYTES.
/// Prints one <c>PERSIST_RESULT key=value ...</c> line for bench/persistence.sh.
/// </summary>
internal static class PersistenceRun
{
    public static int Run(string[] args)
    {
        return args switch
        {
            ["write", string path, string size, string body] => Write(path, ParseLong(size), (int)ParseLong(body)),
            ["load", string path, string size] => Load(path, ParseLong(size)),
            _ => Usage(),
        };
    }

    private static int Write(string path, long cacheSize, int bodySize)
    {
        var cache = new ResponseCache(Fixtures.CacheOptions(cacheSize, bodySize), TimeProvider.System);
        // Fill to just under the size: every entry also counts its key, head and bookkeeping (about 1 KB in all).
        int count = (int)(cacheSize / (bodySize + 1024));
        var fill = Stopwatch.StartNew();
        Fixtures.Fill(cache, count, bodySize);
        fill.Stop();
        long rssFilled = ResidentBytes();
        var clock = Stopwatch.StartNew();
        var snapshot = cache.Snapshot(out _);
        double snapshotMs = clock.Elapsed.TotalMilliseconds;
        var result = CacheFileWriter.Write(path, snapshot, TimeProvider.System.GetUtcNow());
        cache.EndSnapshot();
        clock.Stop();
        if (result.Outcome != CacheWriteOutcome.Written)
        {
            Console.Error.WriteLine($"write failed: {result}");
            return 1;
        }
        Report("write", result.EntriesWritten, result.BytesWritten, clock.Elapsed,
            $"snapshot_ms={Format(snapshotMs)} fill_s={Format(fill.Elapsed.TotalSeconds)} rss_filled_mb={Mb(rssFilled)}");
        GC.KeepAlive(cache);
        return 0;
    }

    private static int Load(string path, long cacheSize)
    {
        long rssBefore = ResidentBytes();
        var clock = Stopwatch.StartNew();
        var loaded = CacheFileReader.Load(path);
        double readMs = clock.Elapsed.TotalMilliseconds;
        var cache = new ResponseCache(Fixtures.CacheOptions(cacheSize, cacheSize), TimeProvider.System);
        int restored = cache.Restore(loaded.Entries);
        clock.Stop();
        if (loaded.Outcome != LoadOutcome.Complete || restored != loaded.Count)
        {
            Console.Error.WriteLine($"load: {loaded.Outcome} {loaded.Reason}, restored {restored} of {loaded.Count}");
            return 1;
        }
        Report("load", restored, loaded.BytesRead, clock.Elapsed,
            $"read_ms={Format(readMs)} rss_before_mb={Mb(rssBefore)}");
        GC.KeepAlive(cache);
        return 0;
    }

    private static void Report(string step, int entries, long bytes, TimeSpan elapsed, string extra)
    {
        double mb = bytes / (1024.0 * 1024.0);
        Console.WriteLine(
            $"PERSIST_RESULT step={step} entries={entries} bytes={bytes} ms={Format(elapsed.TotalMilliseconds)} "
            + $"mb_per_s={Format(mb / elapsed.TotalSeconds)} rss_mb={Mb(ResidentBytes())} peak_rss_mb={Mb(PeakResidentBytes())} "
            + $"gc_heap_mb={Mb(GC.GetTotalMemory(false))} {extra}");
    }

    private static long ResidentBytes() => StatusKilobytes("VmRSS:") * 1024;

    private static long PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

    private static long StatusKilobytes(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    private static long ParseLong(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => Format(bytes / (1024.0 * 1024.0));

    private static int Usage()
    {
        Console.Error.WriteLine("usage: persistence write FILE CACHE_BYTES BODY_BYTES | persistence load FILE CACHE_BYTES");
        return 2;
    }
}
