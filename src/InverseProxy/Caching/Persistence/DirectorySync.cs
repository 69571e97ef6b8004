using System.Runtime.InteropServices;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// fsync(2) on a directory. A rename is an update of the directory, not of the file: until the directory itself is
/// flushed, a power cut can bring back the old name, or neither, even though the new file's data is on disk.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;

    /// <summary>Flushes the directory's entries to disk. Returns null on success, else what failed.</summary>
    public static string? Sync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        int fd = Open(directory, ReadOnly | OnlyDirectory() | CloseOnExec);
        if (fd < 0)
        {
            return Describe("open", Marshal.GetLastPInvokeError());
        }

        try
        {
            return FSync(fd) == 0 ? null : Describe("fsync", Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // O_DIRECTORY is one of the few flags whose value differs between Linux architectures.
    private static int OnlyDirectory() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm or Architecture.Arm64 => 0x4000,
        _ => 0x10000,
    };

    private static string Describe(string call, int errno) => $"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
