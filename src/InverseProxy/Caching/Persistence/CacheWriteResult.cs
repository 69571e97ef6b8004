namespace InverseProxy.Caching.Persistence;

internal enum CacheWriteOutcome
{
    /// <summary>The new file is on disk under its final name.</summary>
    Written,

    /// <summary>The existing file declares a newer format version; it was left untouched.</summary>
    RefusedNewerVersion,

    /// <summary>An I/O or permission error; the previous file, if any, is unchanged and no temp file remains.</summary>
    Failed,
}

/// <summary>What one <see cref="CacheFileWriter.Write"/> call did.</summary>
internal sealed record CacheWriteResult(CacheWriteOutcome Outcome, long BytesWritten, int EntriesWritten)
{
    /// <summary>Entries left out because their key or head exceeds the format's limits.</summary>
    public int EntriesSkipped { get; init; }

    /// <summary>The version declared by the file that was not overwritten.</summary>
    public int? ExistingVersion { get; init; }

    public Exception? Error { get; init; }

    /// <summary>Why the directory could not be flushed after the rename; null when it was (or there was no rename).</summary>
    public string? DirectorySyncError { get; init; }

    public static CacheWriteResult Refused(int existingVersion)
    {
        return new CacheWriteResult(CacheWriteOutcome.RefusedNewerVersion, 0, 0) { ExistingVersion = existingVersion };
    }

    public static CacheWriteResult Failed(Exception error)
    {
        return new CacheWriteResult(CacheWriteOutcome.Failed, 0, 0) { Error = error };
    }
}
