namespace InverseProxy.Configuration;

/// <summary>
/// <c>--check</c>'s look at the folders the proxy writes into: each is created if missing, as start-up does, and a
/// probe file is made and deleted in it, so a folder the service cannot write fails the check rather than the start.
/// </summary>
internal static class StateFolders
{
    /// <summary>The loaded result unchanged when it failed or the folders are writable; else a failed result naming each folder.</summary>
    public static ConfigLoadResult Check(ConfigLoadResult loaded)
    {
        if (loaded.Options is not { } options)
        {
            return loaded;
        }

        var errors = new List<string>();
        if (options.CacheSize > 0)
        {
            Probe("path_to_persistence", options.PathToPersistence, errors);
        }
        Probe("path_to_log", options.PathToLog, errors);
        if (errors.Count == 0)
        {
            return loaded;
        }

        return new ConfigLoadResult { Errors = errors, ConfigPath = loaded.ConfigPath, CheckOnly = loaded.CheckOnly, Demo = loaded.Demo };
    }

    private static void Probe(string key, string path, List<string> errors)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Path.GetPathRoot(path) ?? "/";
        string probe = Path.Combine(folder, $".{Path.GetFileName(path)}.check-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key}: cannot write in the folder '{ConfigText.Escape(folder)}' ({ConfigText.Escape(e.Message)})");
        }
    }
}
