using Microsoft.Extensions.Logging;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// The startup half of persistence: load the file, log what was found, and move a damaged or foreign file aside
/// so the first flush writes a fresh one while the old bytes stay available for inspection.
/// </summary>
internal static class CacheFileRecovery
{
    public static CacheLoadResult LoadAndRecover(string path, TimeProvider time, ILogger logger, Func<PersistedEntry, bool>? keep = null)
    {
        CacheLoadResult result = CacheFileReader.Load(path, keep);
        switch (result.Outcome)
        {
            case LoadOutcome.NoFile:
                PersistenceLog.NoCacheFile(logger, path);
                break;
            case LoadOutcome.Complete:
                PersistenceLog.CacheLoaded(logger, result.Count, result.BytesRead, path);
                break;
            case LoadOutcome.Truncated:
            case LoadOutcome.Corrupt:
                PersistenceLog.CacheFileDamaged(logger, path, result.Outcome, result.DamageOffset ?? 0, result.Reason, result.Count);
                break;
            case LoadOutcome.NewerVersion:
                PersistenceLog.CacheFileNewerVersion(logger, path, result.FileVersion ?? 0, CacheFileFormat.CurrentVersion);
                break;
            case LoadOutcome.NotACacheFile:
                PersistenceLog.NotACacheFile(logger, path, result.Reason);
                break;
            default:
                PersistenceLog.CacheFileUnreadable(logger, path, result.Reason);
                break;
        }

        if (result.ShouldQuarantine)
        {
            Quarantine(path, time, logger);
        }

        return result;
    }

    private static void Quarantine(string path, TimeProvider time, ILogger logger)
    {
        try
        {
            string target = CacheFileReader.QuarantineDamagedFile(path, time.GetUtcNow());
            PersistenceLog.CacheFileQuarantined(logger, path, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PersistenceLog.QuarantineFailed(logger, path, ex);
        }
    }
}
