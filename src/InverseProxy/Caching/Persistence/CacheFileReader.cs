using System.Buffers.Binary;
using System.Globalization;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// Loads a cache file written by <see cref="CacheFileWriter"/>, streaming it record by record. Never throws for
/// damaged input: every whole, checked record before the first damage is returned along with where it stopped.
/// </summary>
internal static class CacheFileReader
{
    private const int BufferSize = 1 << 16;

    /// <summary>
    /// Reads the file at <paramref name="path"/>. With <paramref name="keep"/>, each record goes to it as it is read
    /// and none is held here; reading stops when it returns false (the cache is full), so a file many times
    /// cache_size never takes more memory than the cache itself.
    /// </summary>
    public static CacheLoadResult Load(string path, Func<PersistedEntry, bool>? keep = null)
    {
        FileStream stream;
        try
        {
            stream = OpenForRead(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return CacheLoadResult.Empty(LoadOutcome.NoFile, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CacheLoadResult.Empty(LoadOutcome.Unreadable, ex.Message);
        }

        using (stream)
        {
            try
            {
                return Read(stream, keep);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return CacheLoadResult.Empty(LoadOutcome.Unreadable, ex.Message);
            }
        }
    }

    /// <summary>
    /// Moves a damaged file aside to <c>path.corrupt-yyyyMMddHHmmss</c> (UTC) so it can be inspected and the next
    /// flush starts a fresh file. Returns the new path. Throws if the rename fails.
    /// </summary>
    public static string QuarantineDamagedFile(string path, DateTimeOffset now)
    {
        string stem = path + ".corrupt-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        string target = stem;
        for (int n = 2; File.Exists(target); n++)
        {
            target = stem + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        File.Move(path, target, overwrite: false);
        return target;
    }

    /// <summary>
    /// The version a cache file at <paramref name="path"/> declares, or null when there is no file or it is not a
    /// whole cache file header. I/O errors other than a missing file propagate.
    /// </summary>
    public static int? ReadDeclaredVersion(string path)
    {
        FileStream stream;
        try
        {
            stream = OpenForRead(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (stream)
        {
            Span<byte> header = stackalloc byte[CacheFileFormat.HeaderLength];
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < header.Length || !header.StartsWith(CacheFileFormat.Magic))
            {
                return null;
            }

            return BinaryPrimitives.ReadUInt16LittleEndian(header[CacheFileFormat.VersionOffset..]);
        }
    }

    private static FileStream OpenForRead(string path)
    {
        // Delete sharing lets the writer rename a new file over this one while it is being read.
        return new FileStream(
            path,
            FileMode.Open,
            FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete,
            BufferSize,
            FileOptions.SequentialScan);
    }

    private static CacheLoadResult Read(FileStream stream, Func<PersistedEntry, bool>? keep)
    {
        long fileLength = stream.Length;
        var header = new byte[CacheFileFormat.HeaderLength];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        CacheLoadResult? rejected = CheckHeader(header.AsSpan(0, read), out int version, out DateTimeOffset createdAt);
        if (rejected is not null)
        {
            return rejected;
        }

        var entries = new List<PersistedEntry>();
        int handedOver = 0;
        var reader = new CacheRecordReader(stream, fileLength, CacheFileFormat.HeaderLength);
        while (true)
        {
            long recordStart = reader.Position;
            RecordStep step = reader.ReadNext(entries.Count + handedOver, out PersistedEntry? entry);
            if (step == RecordStep.Record && keep is null)
            {
                entries.Add(entry!);
                continue;
            }
            if (step == RecordStep.Record)
            {
                handedOver++;
                if (keep!(entry!))
                {
                    continue;
                }
                // Full: the records after this one are older than anything kept; they are left unread.
                return new CacheLoadResult(LoadOutcome.Complete, entries, recordStart)
                {
                    HandedOver = handedOver - 1,
                    FileVersion = version,
                    CreatedAt = createdAt,
                };
            }

            bool complete = step == RecordStep.End;
            return new CacheLoadResult(ToOutcome(step), entries, complete ? reader.Position : recordStart)
            {
                HandedOver = handedOver,
                DamageOffset = complete ? null : recordStart,
                Reason = reader.Reason,
                FileVersion = version,
                CreatedAt = createdAt,
            };
        }
    }

    private static CacheLoadResult? CheckHeader(ReadOnlySpan<byte> header, out int version, out DateTimeOffset createdAt)
    {
        version = 0;
        createdAt = default;
        ReadOnlySpan<byte> magic = CacheFileFormat.Magic;
        if (header.IsEmpty || !magic.StartsWith(header[..Math.Min(header.Length, magic.Length)]))
        {
            return CacheLoadResult.Empty(LoadOutcome.NotACacheFile, header.IsEmpty ? "the file is empty" : "no cache file magic");
        }

        if (header.Length < CacheFileFormat.HeaderLength)
        {
            return CacheLoadResult.Empty(LoadOutcome.Truncated, $"the header ends after {header.Length} bytes") with { DamageOffset = 0 };
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(header[CacheFileFormat.VersionOffset..]);
        if (version > CacheFileFormat.CurrentVersion)
        {
            return CacheLoadResult.Empty(LoadOutcome.NewerVersion, $"format version {version} is newer than {CacheFileFormat.CurrentVersion}") with { FileVersion = version };
        }

        long created = BinaryPrimitives.ReadInt64LittleEndian(header[CacheFileFormat.CreatedAtOffset..]);
        if (version == 0 || !CacheFileFormat.IsValidTimestamp(created))
        {
            return CacheLoadResult.Empty(LoadOutcome.Corrupt, "invalid header") with { DamageOffset = 0, FileVersion = version };
        }

        createdAt = DateTimeOffset.FromUnixTimeMilliseconds(created);
        return null;
    }

    private static LoadOutcome ToOutcome(RecordStep step)
    {
        return step switch
        {
            RecordStep.End => LoadOutcome.Complete,
            RecordStep.Truncated => LoadOutcome.Truncated,
            _ => LoadOutcome.Corrupt,
        };
    }
}
