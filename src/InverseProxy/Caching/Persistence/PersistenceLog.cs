using Microsoft.Extensions.Logging;

namespace InverseProxy.Caching.Persistence;

/// <summary>Log events of cache persistence, event ids 3000-3099.</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Loaded {Count} cache entries ({Bytes} bytes) from {Path}")]
    public static partial void CacheLoaded(ILogger logger, int count, long bytes, string path);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "No cache file at {Path}; starting with an empty cache")]
    public static partial void NoCacheFile(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Cache file {Path} is {Outcome} at byte offset {Offset}: {Reason}; kept the {Count} entries before it")]
    public static partial void CacheFileDamaged(ILogger logger, string path, LoadOutcome outcome, long offset, string? reason, int count);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cache file {Path} has format version {Version}, newer than the supported {Supported}; starting empty and leaving the file as it is")]
    public static partial void CacheFileNewerVersion(ILogger logger, string path, int version, int supported);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Path} is not a cache file ({Reason}); starting with an empty cache")]
    public static partial void NotACacheFile(ILogger logger, string path, string? reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Cache file {Path} could not be read ({Reason}); starting with an empty cache")]
    public static partial void CacheFileUnreadable(ILogger logger, string path, string? reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Moved cache file {Path} aside to {QuarantinePath}")]
    public static partial void CacheFileQuarantined(ILogger logger, string path, string quarantinePath);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Could not move damaged cache file {Path} aside")]
    public static partial void QuarantineFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Removed {TempPath}, left by a cache write that did not finish")]
    public static partial void StaleTempRemoved(ILogger logger, string tempPath);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Could not remove {TempPath}, left by a cache write that did not finish; the next write replaces it")]
    public static partial void StaleTempNotRemoved(ILogger logger, string tempPath, Exception exception);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Information, Message = "Deleted {Count} older damaged copies of {Path} (corrupt_keep = {Keep})")]
    public static partial void DamagedFilesPruned(ILogger logger, int count, string path, int keep);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "Could not delete older damaged copies of {Path}")]
    public static partial void DamagedFilesNotPruned(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Warning, Message = "Wrote cache file {Path} but could not flush its directory ({Reason}); a power cut now may bring back the previous file")]
    public static partial void DirectorySyncFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Wrote {Count} cache entries ({Bytes} bytes) to {Path} in {DurationMs} ms")]
    public static partial void CacheFlushed(ILogger logger, int count, long bytes, string path, double durationMs);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Writing cache file {Path} failed; the previous file is unchanged and the next tick retries")]
    public static partial void CacheFlushFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Not overwriting cache file {Path}: it has the newer format version {Version}")]
    public static partial void CacheFlushRefused(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Left {Count} cache entries out of {Path}: key or head exceeds the file format's limits")]
    public static partial void EntriesSkipped(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Unexpected error while flushing the cache to {Path}; the next tick retries")]
    public static partial void CacheFlushCrashed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Debug, Message = "Cache flusher started for {Path}, every {Interval}")]
    public static partial void FlusherStarted(ILogger logger, string path, TimeSpan interval);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Debug, Message = "Cache flusher for {Path} stopped")]
    public static partial void FlusherStopped(ILogger logger, string path);
}
