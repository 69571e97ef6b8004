namespace InverseProxy.Caching.Persistence;

internal enum FlushOutcome
{
    /// <summary>A new file was written and renamed into place.</summary>
    Written,

    /// <summary>The cache has not changed since the last successful write; nothing was done.</summary>
    Unchanged,

    /// <summary>The write failed; the previous file is intact and the next tick tries again.</summary>
    Failed,

    /// <summary>The file on disk has a newer format version and was left alone.</summary>
    RefusedNewerVersion,
}
