namespace InverseProxy.Caching.Persistence;

/// <summary>What <see cref="CacheFileReader.Load"/> found.</summary>
/// <param name="Outcome">How far the file could be trusted.</param>
/// <param name="Entries">The whole, checked records in file order (most recently used first).</param>
/// <param name="BytesRead">Bytes accepted: header, whole records and, when complete, the trailer.</param>
internal sealed record CacheLoadResult(LoadOutcome Outcome, IReadOnlyList<PersistedEntry> Entries, long BytesRead)
{
    /// <summary>Byte offset of the first record (or header field) that could not be used.</summary>
    public long? DamageOffset { get; init; }

    /// <summary>Why loading stopped early, for the startup warning.</summary>
    public string? Reason { get; init; }

    /// <summary>The format version the file declares, when its header was read.</summary>
    public int? FileVersion { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Records given to the loader's consumer one by one instead of kept in <see cref="Entries"/>.</summary>
    public int HandedOver { get; init; }

    public int Count => Entries.Count + HandedOver;

    /// <summary>
    /// True when the file should be moved aside before the next flush replaces it: it is damaged or foreign, and
    /// keeping it lets someone inspect what went wrong.
    /// </summary>
    public bool ShouldQuarantine =>
        Outcome is LoadOutcome.Truncated or LoadOutcome.Corrupt or LoadOutcome.NotACacheFile;

    public static CacheLoadResult Empty(LoadOutcome outcome, string? reason)
    {
        return new CacheLoadResult(outcome, [], 0) { Reason = reason };
    }
}
