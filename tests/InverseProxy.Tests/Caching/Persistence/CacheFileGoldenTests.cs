using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

/// <summary>Pins the version 1 layout: if these bytes change, the format changed and needs a new version.</summary>
public sealed class CacheFileGoldenTests : IDisposable
{
    private static readonly string s_goldenHex = string.Concat(
        // header: magic, version 1, flags, reserved, created at 1700000000000 ms
        "4950584341434845", "0100", "0000", "00000000", "0068E5CF8B010000",
        // record 1: length 32, key "k1", head "H1", body "ab", born 1000, expires 2000, CRC-32
        "20000000", "0200", "6B31", "02000000", "4831", "02000000", "6162",
        "E803000000000000", "D007000000000000", "985408BD",
        // record 2: length 52, key "ké" (UTF-8), head "HTTP/1.1 204 No Content", empty body, born, expires, CRC-32
        "34000000", "0300", "6BC3A9", "17000000", "485454502F312E3120323034204E6F20436F6E74656E74",
        "00000000", "7B68E5CF8B010000", "DB52E6CF8B010000", "2FB3FB90",
        // trailer: end marker, 2 records
        "FFFFFFFF", "0200000000000000");

    private readonly PersistenceTestFiles _files = new();

    [Fact]
    public void Write_TwoKnownEntries_ProducesGoldenBytes()
    {
        CacheWriteResult result = CacheFileWriter.Write(_files.CachePath, GoldenEntries(), PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Written, result.Outcome);
        Assert.Equal(s_goldenHex, Convert.ToHexString(File.ReadAllBytes(_files.CachePath)));
        Assert.Equal(s_goldenHex.Length / 2, result.BytesWritten);
        Assert.Equal(2, result.EntriesWritten);
    }

    [Fact]
    public void Load_GoldenBytes_ReturnsKnownEntries()
    {
        File.WriteAllBytes(_files.CachePath, Convert.FromHexString(s_goldenHex));

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Complete, result.Outcome);
        Assert.Equal(1, result.FileVersion);
        Assert.Equal(PersistenceTestFiles.CreatedAt, result.CreatedAt);
        Assert.Equal(s_goldenHex.Length / 2, result.BytesRead);
        PersistenceTestFiles.AssertSameEntries(GoldenEntries(), result.Entries);
    }

    [Fact]
    public void Constants_Version1Layout_AreFrozen()
    {
        Assert.Equal(1, CacheFileFormat.CurrentVersion);
        Assert.Equal(24, CacheFileFormat.HeaderLength);
        Assert.Equal(26, CacheFileFormat.FixedPayloadLength);
        Assert.Equal(0xFFFFFFFFu, CacheFileFormat.EndMarker);
        Assert.Equal("IPXCACHE"u8.ToArray(), CacheFileFormat.Magic.ToArray());
    }

    public void Dispose()
    {
        _files.Dispose();
    }

    private static IReadOnlyList<PersistedEntry> GoldenEntries()
    {
        return
        [
            new PersistedEntry(
                "k1",
                "H1"u8.ToArray(),
                "ab"u8.ToArray(),
                DateTimeOffset.FromUnixTimeMilliseconds(1000),
                DateTimeOffset.FromUnixTimeMilliseconds(2000)),
            new PersistedEntry(
                "k\u00e9",
                "HTTP/1.1 204 No Content"u8.ToArray(),
                [],
                DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
                DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_060_123)),
        ];
    }
}
