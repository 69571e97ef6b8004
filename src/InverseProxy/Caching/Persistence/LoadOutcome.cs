namespace InverseProxy.Caching.Persistence;

internal enum LoadOutcome
{
    /// <summary>There is no file at the path: a first start.</summary>
    NoFile,

    /// <summary>Every record and the end marker were read and checked.</summary>
    Complete,

    /// <summary>The file ends inside a record or before the end marker; the whole records before it were loaded.</summary>
    Truncated,

    /// <summary>A checksum, length or timestamp is wrong; the whole records before the damage were loaded.</summary>
    Corrupt,

    /// <summary>The file was written by a newer format version; nothing was loaded and it must not be overwritten.</summary>
    NewerVersion,

    /// <summary>The file does not start with the cache file magic (or is empty).</summary>
    NotACacheFile,

    /// <summary>The file exists but could not be opened or read (permissions, I/O error).</summary>
    Unreadable,
}
