using System.Text;
using InverseProxy.Caching.Persistence;

namespace InverseProxy.Caching.Shared;

/// <summary>
/// A Redis value is one record of the cache file (<see cref="CacheFileFormat"/>: length, payload, CRC-32), written and
/// read by the file's own codec, so both stores share one layout, one version and one set of checks.
/// </summary>
internal static class SharedRecordCodec
{
    /// <summary>The entry as one record; null when its key or head is too long for the format.</summary>
    public static byte[]? Encode(CachedResponse entry)
    {
        // Sized exactly, so the buffer is the value and a 100 KB body is not copied twice.
        long length = CacheFileFormat.RecordOverhead + CacheFileFormat.FixedPayloadLength
            + Encoding.UTF8.GetByteCount(entry.Key) + entry.HeadBytes.Length + (long)entry.Body.Length;
        if (length > Array.MaxLength)
        {
            return null;
        }
        var stream = new MemoryStream((int)length);
        if (!CacheFileWriter.WriteRecord(stream, entry.Persisted))
        {
            return null;
        }
        return stream.Length == stream.Capacity ? stream.GetBuffer() : stream.ToArray();
    }

    /// <summary>The entry a value holds; null when it is not exactly one whole, intact record of a consistent entry.</summary>
    public static CachedResponse? Decode(byte[] value)
    {
        using var stream = new MemoryStream(value, writable: false);
        var reader = new CacheRecordReader(stream, value.Length, 0);
        if (reader.ReadNext(0, out var persisted) != RecordStep.Record || reader.Position != value.Length)
        {
            return null;
        }
        return CachedResponse.TryRestore(persisted!, out var entry) ? entry : null;
    }
}
