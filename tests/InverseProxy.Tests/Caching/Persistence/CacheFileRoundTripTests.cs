using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class CacheFileRoundTripTests : IDisposable
{
    private readonly PersistenceTestFiles _files = new();

    [Fact]
    public void Load_AfterWrite_ReturnsSameEntriesInOrder()
    {
        IReadOnlyList<PersistedEntry> entries = PersistenceTestFiles.ThreeEntries();
        CacheWriteResult written = CacheFileWriter.Write(_files.CachePath, entries, PersistenceTestFiles.CreatedAt);

        CacheLoadResult loaded = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Complete, loaded.Outcome);
        Assert.Null(loaded.DamageOffset);
        Assert.Equal(new FileInfo(_files.CachePath).Length, written.BytesWritten);
        Assert.Equal(written.BytesWritten, loaded.BytesRead);
        PersistenceTestFiles.AssertSameEntries(entries, loaded.Entries);
    }

    [Fact]
    public void Write_SlotClearedByTheCache_SkipsItAndCountsTheRest()
    {
        IReadOnlyList<PersistedEntry> three = PersistenceTestFiles.ThreeEntries();
        PersistedEntry?[] snapshot = [three[0], null, three[2]];

        CacheWriteResult written = CacheFileWriter.Write(_files.CachePath, snapshot, PersistenceTestFiles.CreatedAt);
        CacheLoadResult loaded = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(2, written.EntriesWritten);
        Assert.Equal(0, written.EntriesSkipped);
        Assert.Equal(LoadOutcome.Complete, loaded.Outcome);
        PersistenceTestFiles.AssertSameEntries([three[0], three[2]], loaded.Entries);
    }

    [Fact]
    public void Load_LargeAndEmptyBodies_RoundTrip()
    {
        byte[] large = new byte[5 * 1024 * 1024 + 3];
        new Random(42).NextBytes(large);
        IReadOnlyList<PersistedEntry> entries =
        [
            PersistenceTestFiles.Entry("GET http://big/", "HTTP/1.1 200 OK", large),
            PersistenceTestFiles.Entry("HEAD http://empty/", "HTTP/1.1 200 OK\r\nContent-Length: 12", []),
            PersistenceTestFiles.Entry("GET http://\u00fcnicode/\u20ac", "HTTP/1.1 200 OK", "x"u8.ToArray(), bornMs: -5, ttlMs: 1),
        ];

        CacheFileWriter.Write(_files.CachePath, entries, PersistenceTestFiles.CreatedAt);
        CacheLoadResult loaded = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Complete, loaded.Outcome);
        PersistenceTestFiles.AssertSameEntries(entries, loaded.Entries);
    }

    [Fact]
    public void Load_NoEntries_CompleteAndEmpty()
    {
        CacheFileWriter.Write(_files.CachePath, [], PersistenceTestFiles.CreatedAt);

        CacheLoadResult loaded = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(LoadOutcome.Complete, loaded.Outcome);
        Assert.Empty(loaded.Entries);
        Assert.Equal(CacheFileFormat.HeaderLength + CacheFileFormat.TrailerLength, loaded.BytesRead);
    }

    [Fact]
    public void Write_HeadOverLimit_SkipsOnlyThatEntry()
    {
        string hugeHead = "HTTP/1.1 200 OK\r\nX: " + new string('a', CacheFileFormat.MaxHeadLength);
        IReadOnlyList<PersistedEntry> entries =
        [
            PersistenceTestFiles.Entry("GET http://a/ok", "HTTP/1.1 200 OK", [1]),
            PersistenceTestFiles.Entry("GET http://a/huge", hugeHead, [2]),
        ];

        CacheWriteResult written = CacheFileWriter.Write(_files.CachePath, entries, PersistenceTestFiles.CreatedAt);
        CacheLoadResult loaded = CacheFileReader.Load(_files.CachePath);

        Assert.Equal(1, written.EntriesWritten);
        Assert.Equal(1, written.EntriesSkipped);
        Assert.Equal(LoadOutcome.Complete, loaded.Outcome);
        Assert.Equal("GET http://a/ok", Assert.Single(loaded.Entries).Key);
    }

    [Fact]
    public void Write_MissingDirectory_CreatesIt()
    {
        string path = Path.Combine(_files.Directory, "a", "b", "cache.bin");

        CacheWriteResult written = CacheFileWriter.Write(path, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Written, written.Outcome);
        Assert.Equal(3, CacheFileReader.Load(path).Count);
        Assert.False(File.Exists(CacheFileWriter.TempPathFor(path)));
    }

    [Fact]
    public void Write_ExistingFile_ReplacesIt()
    {
        CacheFileWriter.Write(_files.CachePath, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);
        IReadOnlyList<PersistedEntry> second = [PersistenceTestFiles.Entry("GET http://b/", "HTTP/1.1 200 OK", [9])];

        CacheFileWriter.Write(_files.CachePath, second, PersistenceTestFiles.CreatedAt);

        PersistenceTestFiles.AssertSameEntries(second, CacheFileReader.Load(_files.CachePath).Entries);
    }

    public void Dispose()
    {
        _files.Dispose();
    }
}
