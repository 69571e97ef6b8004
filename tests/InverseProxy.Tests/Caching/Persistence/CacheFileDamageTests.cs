using System.Buffers.Binary;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class CacheFileDamageTests : IDisposable
{
    private readonly PersistenceTestFiles _files = new();
    private readonly IReadOnlyList<PersistedEntry> _entries = PersistenceTestFiles.ThreeEntries();
    private readonly byte[] _good;
    private readonly long[] _recordEnds;

    public CacheFileDamageTests()
    {
        CacheFileWriter.Write(_files.CachePath, _entries, PersistenceTestFiles.CreatedAt);
        _good = File.ReadAllBytes(_files.CachePath);
        _recordEnds = new long[_entries.Count];
        long end = CacheFileFormat.HeaderLength;
        for (int i = 0; i < _entries.Count; i++)
        {
            PersistedEntry e = _entries[i];
            end += CacheFileFormat.RecordOverhead + CacheFileFormat.FixedPayloadLength + e.Key.Length + e.Head.Length + e.Body.Length;
            _recordEnds[i] = end;
        }
    }

    [Fact]
    public void Load_TruncatedAtEveryOffset_ReturnsWholeRecordsBeforeCut()
    {
        Assert.Equal(_recordEnds[^1] + CacheFileFormat.TrailerLength, _good.Length);
        for (int cut = 1; cut < _good.Length; cut++)
        {
            File.WriteAllBytes(_files.CachePath, _good.AsSpan(0, cut).ToArray());

            CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

            int whole = _recordEnds.Count(end => end <= cut);
            long expectedOffset = whole > 0 ? _recordEnds[whole - 1] : cut < CacheFileFormat.HeaderLength ? 0 : CacheFileFormat.HeaderLength;
            Assert.True(LoadOutcome.Truncated == result.Outcome, $"cut {cut}: {result.Outcome} {result.Reason}");
            Assert.Equal(expectedOffset, result.DamageOffset);
            Assert.NotNull(result.Reason);
            PersistenceTestFiles.AssertSameEntries(_entries.Take(whole).ToList(), result.Entries);
        }
    }

    [Fact]
    public void Load_FlippedPayloadByte_ChecksumMismatchKeepsEarlierRecords()
    {
        byte[] damaged = (byte[])_good.Clone();
        damaged[_recordEnds[1] - 20] ^= 0x01; // first byte of the second record's born-at field
        File.WriteAllBytes(_files.CachePath, damaged);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Corrupt, result.Outcome);
        Assert.Equal(_recordEnds[0], result.DamageOffset);
        Assert.Contains("checksum", result.Reason, StringComparison.Ordinal);
        PersistenceTestFiles.AssertSameEntries(_entries.Take(1).ToList(), result.Entries);
    }

    [Fact]
    public void Load_AnyByteOfSecondRecordFlipped_KeepsOnlyFirstRecord()
    {
        for (long at = _recordEnds[0]; at < _recordEnds[1]; at++)
        {
            byte[] damaged = (byte[])_good.Clone();
            damaged[at] ^= 0x01;
            File.WriteAllBytes(_files.CachePath, damaged);

            CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

            Assert.True(result.Outcome is LoadOutcome.Corrupt or LoadOutcome.Truncated, $"byte {at}: {result.Outcome}");
            Assert.Equal(_recordEnds[0], result.DamageOffset);
            Assert.Single(result.Entries);
        }
    }

    [Theory]
    [InlineData(0xFFFF_FFFEu, false)]
    [InlineData(0x7FFF_FFFFu, true)]
    [InlineData(3u, false)]
    public void Load_ImplausibleRecordLength_StopsWithoutAllocating(uint length, bool beyondEndOfFile)
    {
        byte[] damaged = (byte[])_good.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(damaged.AsSpan((int)_recordEnds[0]), length);
        File.WriteAllBytes(_files.CachePath, damaged);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(beyondEndOfFile ? LoadOutcome.Truncated : LoadOutcome.Corrupt, result.Outcome);
        Assert.Single(result.Entries);
    }

    [Fact]
    public void Load_TrailerCountWrong_CorruptWithAllRecords()
    {
        byte[] damaged = (byte[])_good.Clone();
        damaged[^8] = 7;
        File.WriteAllBytes(_files.CachePath, damaged);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Corrupt, result.Outcome);
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Load_BytesAfterTrailer_CorruptWithAllRecords()
    {
        File.WriteAllBytes(_files.CachePath, [.. _good, 0]);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Corrupt, result.Outcome);
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Load_NewerVersion_ReportsVersionAndLoadsNothing()
    {
        WriteVersion(2);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.NewerVersion, result.Outcome);
        Assert.Equal(2, result.FileVersion);
        Assert.Empty(result.Entries);
        Assert.False(result.ShouldQuarantine);
    }

    [Fact]
    public void Write_OverNewerVersion_RefusesAndLeavesFile()
    {
        byte[] newer = WriteVersion(3);

        CacheWriteResult result = CacheFileWriter.Write(_files.CachePath, [], PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.RefusedNewerVersion, result.Outcome);
        Assert.Equal(3, result.ExistingVersion);
        Assert.Equal(newer, File.ReadAllBytes(_files.CachePath));
        Assert.False(File.Exists(CacheFileWriter.TempPathFor(_files.CachePath)));
    }

    [Fact]
    public void Load_VersionZero_Corrupt()
    {
        WriteVersion(0);

        Assert.Equal(LoadOutcome.Corrupt, CacheFileReader.Load(_files.CachePath).Outcome);
    }

    [Fact]
    public void Load_RandomBytes_NotACacheFile()
    {
        byte[] noise = new byte[300];
        new Random(1).NextBytes(noise);
        File.WriteAllBytes(_files.CachePath, noise);

        CacheLoadResult result = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.NotACacheFile, result.Outcome);
        Assert.True(result.ShouldQuarantine);
    }

    [Fact]
    public void Load_EmptyFile_NotACacheFile()
    {
        File.WriteAllBytes(_files.CachePath, []);

        Assert.Equal(LoadOutcome.NotACacheFile, CacheFileReader.Load(_files.CachePath).Outcome);
    }

    [Fact]
    public void Load_MissingFileOrDirectory_NoFile()
    {
        Assert.Equal(LoadOutcome.NoFile, CacheFileReader.Load(Path.Combine(_files.Directory, "absent.bin")).Outcome);
        Assert.Equal(LoadOutcome.NoFile, CacheFileReader.Load(Path.Combine(_files.Directory, "no", "x.bin")).Outcome);
    }

    [Fact]
    public void Load_PathIsDirectory_UnreadableWithoutThrowing()
    {
        Assert.Equal(LoadOutcome.Unreadable, CacheFileReader.Load(_files.Directory).Outcome);
    }

    public void Dispose()
    {
        _files.Dispose();
    }

    private byte[] WriteVersion(ushort version)
    {
        byte[] bytes = (byte[])_good.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(CacheFileFormat.VersionOffset), version);
        File.WriteAllBytes(_files.CachePath, bytes);
        return bytes;
    }
}
