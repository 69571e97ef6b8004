using System.Buffers.Binary;
using System.Text;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// Writes a complete cache file next to the old one and renames it into place, so a reader (or a crash) sees either
/// the old file or the new one, never a mix. Bodies are streamed from the entries; nothing is buffered whole.
/// </summary>
internal static class CacheFileWriter
{
    private const int BufferSize = 1 << 16;

    public static string TempPathFor(string path)
    {
        return path + ".tmp";
    }

    public static CacheWriteResult Write(string path, IReadOnlyList<PersistedEntry?> entries, DateTimeOffset createdAt)
    {
        string tempPath = TempPathFor(path);
        try
        {
            // A newer build wrote this file; clobbering it would lose its entries for good if that build comes back.
            if (CacheFileReader.ReadDeclaredVersion(path) is int existing && existing > CacheFileFormat.CurrentVersion)
            {
                return CacheWriteResult.Refused(existing);
            }

            string? directory = CreateDirectoryFor(path);
            CacheWriteResult result = WriteTemp(tempPath, entries, createdAt);
            File.Move(tempPath, path, overwrite: true);
            // The new name must outlive a power cut too; failing that, the data is still safe under one name or the other.
            return directory is null ? result : result with { DirectorySyncError = DirectorySync.Sync(directory) };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(tempPath);
            return CacheWriteResult.Failed(ex);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static CacheWriteResult WriteTemp(string tempPath, IReadOnlyList<PersistedEntry?> entries, DateTimeOffset createdAt)
    {
        using var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize);
        Span<byte> scratch = stackalloc byte[CacheFileFormat.HeaderLength];
        CacheFileFormat.WriteHeader(scratch, CacheFileFormat.CurrentVersion, createdAt);
        stream.Write(scratch);

        int written = 0;
        int skipped = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                continue; // dropped from the cache while this file was being written
            }
            if (WriteRecord(stream, entry))
            {
                written++;
            }
            else
            {
                skipped++;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(scratch, CacheFileFormat.EndMarker);
        BinaryPrimitives.WriteUInt64LittleEndian(scratch[4..], (ulong)written);
        stream.Write(scratch[..CacheFileFormat.TrailerLength]);

        // The rename must not become durable before the data it points at (ext4 and XFS reorder otherwise).
        stream.Flush(flushToDisk: true);
        return new CacheWriteResult(CacheWriteOutcome.Written, stream.Position, written) { EntriesSkipped = skipped };
    }

    /// <summary>One record (length, payload, checksum); false when the key or head is too long. Also the Redis value form.</summary>
    internal static bool WriteRecord(Stream stream, PersistedEntry entry)
    {
        byte[] key = Encoding.UTF8.GetBytes(entry.Key);
        if (key.Length > CacheFileFormat.MaxKeyLength || entry.Head.Length > CacheFileFormat.MaxHeadLength)
        {
            return false;
        }

        long payloadLength = CacheFileFormat.FixedPayloadLength + key.Length + entry.Head.Length + (long)entry.Body.Length;
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)payloadLength);
        stream.Write(scratch[..4]);

        BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)key.Length);
        uint crc = Put(stream, scratch[..2], 0);
        crc = Put(stream, key, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)entry.Head.Length);
        crc = Put(stream, scratch[..4], crc);
        crc = Put(stream, entry.Head, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)entry.Body.Length);
        crc = Put(stream, scratch[..4], crc);
        crc = Put(stream, entry.Body, crc);
        BinaryPrimitives.WriteInt64LittleEndian(scratch, entry.BornAt.ToUnixTimeMilliseconds());
        crc = Put(stream, scratch, crc);
        BinaryPrimitives.WriteInt64LittleEndian(scratch, entry.ExpiresAt.ToUnixTimeMilliseconds());
        crc = Put(stream, scratch, crc);

        BinaryPrimitives.WriteUInt32LittleEndian(scratch, crc);
        stream.Write(scratch[..4]);
        return true;
    }

    private static uint Put(Stream stream, ReadOnlySpan<byte> bytes, uint crc)
    {
        stream.Write(bytes);
        return Crc32.Append(crc, bytes);
    }

    private static string? CreateDirectoryFor(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next write truncates the temp file anyway (FileMode.Create).
        }
    }
}
