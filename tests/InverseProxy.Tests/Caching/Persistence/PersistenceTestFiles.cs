using InverseProxy.Caching.Persistence;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Caching.Persistence;

/// <summary>A fresh temporary directory per test, removed afterwards, plus entry builders.</summary>
internal sealed class PersistenceTestFiles : IDisposable
{
    public static readonly DateTimeOffset CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private readonly TempDirectory _directory = new();

    public string Directory => _directory.Path;

    public string CachePath => Path.Combine(Directory, "cache.bin");

    public static PersistedEntry Entry(string key, string head, byte[] body, long bornMs = 1_700_000_000_000, long ttlMs = 60_000)
    {
        return new PersistedEntry(
            key,
            System.Text.Encoding.ASCII.GetBytes(head),
            body,
            DateTimeOffset.FromUnixTimeMilliseconds(bornMs),
            DateTimeOffset.FromUnixTimeMilliseconds(bornMs + ttlMs));
    }

    public static IReadOnlyList<PersistedEntry> ThreeEntries()
    {
        return
        [
            Entry("GET http://a/1", "HTTP/1.1 200 OK\r\nContent-Length: 3", "one"u8.ToArray()),
            Entry("GET http://a/2", "HTTP/1.1 200 OK\r\nContent-Length: 0", [], bornMs: 1_700_000_001_000),
            Entry("GET http://a/3", "HTTP/1.1 404 Not Found", "three"u8.ToArray(), ttlMs: 5),
        ];
    }

    public static void AssertSameEntries(IReadOnlyList<PersistedEntry> expected, IReadOnlyList<PersistedEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].Head, actual[i].Head);
            Assert.Equal(expected[i].Body, actual[i].Body);
            Assert.Equal(expected[i].BornAt, actual[i].BornAt);
            Assert.Equal(expected[i].ExpiresAt, actual[i].ExpiresAt);
        }
    }

    public void Dispose() => _directory.Dispose();
}
