using Microsoft.Extensions.Logging;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// The startup half of persistence: load the file, log what was found, and move a damaged or foreign file aside
/// so the first flush writes a fresh one while the old bytes stay available for inspection (the newest
/// <c>corrupt_keep</c> of them). A temp file left by a write that was killed is removed first.
/// </summary>
internal static class CacheFileRecovery
{
    public static CacheLoadResult LoadAndRecover(string path, int corruptKeep, TimeProvider time, ILogger logger, Func<PersistedEntry, bool>? keep = null)
    {
        RemoveStaleTemp(path, logger);
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

        PruneDamaged(path, corruptKeep, logger);
        return result;
    }

    /// <summary>Only a writer that died between create and rename leaves one; nothing else writes that name at start.</summary>
    private static void RemoveStaleTemp(string path, ILogger logger)
    {
        string temp = CacheFileWriter.TempPathFor(path);
        try
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
                PersistenceLog.StaleTempRemoved(logger, temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Harmless to leave: the next write truncates it (FileMode.Create).
            PersistenceLog.StaleTempNotRemoved(logger, temp, ex);
        }
    }

    private static void PruneDamaged(string path, int keep, ILogger logger)
    {
        try
        {
            IReadOnlyList<string> deleted = DamagedFiles.Prune(path, keep);
            if (deleted.Count > 0)
            {
                PersistenceLog.DamagedFilesPruned(logger, deleted.Count, path, keep);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PersistenceLog.DamagedFilesNotPruned(logger, path, ex);
        }
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
