using System.Collections;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class CacheFileWriterFailureTests : IDisposable
{
    private readonly PersistenceTestFiles _files = new();

    [Fact]
    public void Write_ParentIsRegularFile_FailsWithoutLeavingTempFile()
    {
        string blocker = Path.Combine(_files.Directory, "blocker");
        File.WriteAllBytes(blocker, [42]);
        string path = Path.Combine(blocker, "cache.bin");

        CacheWriteResult result = CacheFileWriter.Write(path, PersistenceTestFiles.ThreeEntries(), PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Failed, result.Outcome);
        Assert.IsAssignableFrom<IOException>(result.Error);
        Assert.Equal([42], File.ReadAllBytes(blocker));
        Assert.Equal([blocker], Directory.GetFileSystemEntries(_files.Directory));
    }

    [Fact]
    public void Write_FailsMidStream_OldFileIntactAndTempRemoved()
    {
        byte[] old = WriteOldFile();
        var failing = new FailingList(PersistenceTestFiles.ThreeEntries(), failAt: 2, new IOException("No space left on device"));

        CacheWriteResult result = CacheFileWriter.Write(_files.CachePath, failing, PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Failed, result.Outcome);
        Assert.Equal(old, File.ReadAllBytes(_files.CachePath));
        Assert.False(File.Exists(CacheFileWriter.TempPathFor(_files.CachePath)));
        Assert.Equal(LoadOutcome.Complete, CacheFileReader.Load(_files.CachePath).Outcome);
    }

    [Fact]
    public void Write_UnexpectedException_RethrowsAfterRemovingTemp()
    {
        byte[] old = WriteOldFile();
        var failing = new FailingList(PersistenceTestFiles.ThreeEntries(), failAt: 1, new InvalidOperationException("boom"));

        Assert.Throws<InvalidOperationException>(() => CacheFileWriter.Write(_files.CachePath, failing, PersistenceTestFiles.CreatedAt));

        Assert.Equal(old, File.ReadAllBytes(_files.CachePath));
        Assert.False(File.Exists(CacheFileWriter.TempPathFor(_files.CachePath)));
    }

    [Fact]
    public void Write_TempPathIsDirectory_FailsAndOldFileIntact()
    {
        byte[] old = WriteOldFile();
        Directory.CreateDirectory(CacheFileWriter.TempPathFor(_files.CachePath));

        CacheWriteResult result = CacheFileWriter.Write(_files.CachePath, [], PersistenceTestFiles.CreatedAt);

        Assert.Equal(CacheWriteOutcome.Failed, result.Outcome);
        Assert.Equal(old, File.ReadAllBytes(_files.CachePath));
    }

    [Fact]
    public void Load_WhileRepeatedlyRewritten_AlwaysSeesCompleteFile()
    {
        IReadOnlyList<PersistedEntry> small = PersistenceTestFiles.ThreeEntries();
        IReadOnlyList<PersistedEntry> large = [.. small, PersistenceTestFiles.Entry("GET http://x/", "HTTP/1.1 200 OK", new byte[200_000])];
        CacheFileWriter.Write(_files.CachePath, small, PersistenceTestFiles.CreatedAt);
        var observed = new List<(LoadOutcome Outcome, int Count)>();
        using var done = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            while (!done.IsSet)
            {
                CacheLoadResult r = CacheFileReader.Load(_files.CachePath);
                observed.Add((r.Outcome, r.Count));
            }
        });
        reader.Start();

        for (int i = 0; i < 60; i++)
        {
            CacheWriteResult w = CacheFileWriter.Write(_files.CachePath, i % 2 == 0 ? large : small, PersistenceTestFiles.CreatedAt);
            Assert.Equal(CacheWriteOutcome.Written, w.Outcome);
        }

        done.Set();
        reader.Join();
        Assert.NotEmpty(observed);
        Assert.All(observed, o => Assert.Equal(LoadOutcome.Complete, o.Outcome));
        Assert.All(observed, o => Assert.Contains(o.Count, new[] { 3, 4 }));
    }

    public void Dispose()
    {
        _files.Dispose();
    }

    private byte[] WriteOldFile()
    {
        CacheFileWriter.Write(_files.CachePath, [PersistenceTestFiles.Entry("GET http://old/", "HTTP/1.1 200 OK", [7])], PersistenceTestFiles.CreatedAt);
        return File.ReadAllBytes(_files.CachePath);
    }

    /// <summary>Throws when the writer reaches element <c>failAt</c>, as a failing disk would halfway through.</summary>
    private sealed class FailingList(IReadOnlyList<PersistedEntry> inner, int failAt, Exception error) : IReadOnlyList<PersistedEntry>
    {
        public int Count => inner.Count;

        public PersistedEntry this[int index] => index == failAt ? throw error : inner[index];

        public IEnumerator<PersistedEntry> GetEnumerator()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator()
        {
            return GetEnumerator();
        }
    }
}
