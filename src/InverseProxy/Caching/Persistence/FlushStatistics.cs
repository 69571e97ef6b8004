namespace InverseProxy.Caching.Persistence;

/// <summary>
/// An immutable picture of the flusher's work, replaced whole after every attempt so a stats reader on another
/// thread always sees consistent values.
/// </summary>
internal sealed record FlushStatistics
{
    public static readonly FlushStatistics None = new();

    public FlushOutcome? LastOutcome { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>When the last file was successfully written.</summary>
    public DateTimeOffset? LastFlushAt { get; init; }

    public TimeSpan LastFlushDuration { get; init; }

    public long LastFlushBytes { get; init; }

    public int LastFlushEntries { get; init; }

    /// <summary>The cache change version the file on disk corresponds to.</summary>
    public long? PersistedVersion { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public long FlushCount { get; init; }

    public long FailureCount { get; init; }
}
