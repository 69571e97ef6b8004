using System.Buffers.Binary;
using System.Text;

namespace InverseProxy.Caching.Persistence;

internal enum RecordStep
{
    Record,
    End,
    Truncated,
    Corrupt,
}

/// <summary>
/// Reads the records after the header, one at a time, straight into the entry's arrays while computing the
/// checksum. A record's payload length is checked against the bytes left in the file before anything is allocated,
/// so a damaged length cannot ask for more memory than the file holds.
/// </summary>
internal sealed class CacheRecordReader(Stream stream, long fileLength, long position)
{
    private readonly byte[] _scratch = new byte[16];
    private uint _crc;

    /// <summary>Offset of the next unread byte.</summary>
    public long Position { get; private set; } = position;

    public string? Reason { get; private set; }

    public RecordStep ReadNext(long recordsSoFar, out PersistedEntry? entry)
    {
        entry = null;
        if (!TryRead(4))
        {
            return Stop(RecordStep.Truncated, "the file ends before the end marker");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
        if (length == CacheFileFormat.EndMarker)
        {
            return ReadTrailer(recordsSoFar);
        }

        if (length < CacheFileFormat.FixedPayloadLength || length > CacheFileFormat.MaxPayloadLength)
        {
            return Stop(RecordStep.Corrupt, $"record length {length} is outside the possible range");
        }

        long available = fileLength - Position;
        if (length + 4L > available)
        {
            return Stop(RecordStep.Truncated, $"record declares {length} payload bytes but only {available} bytes remain");
        }

        return ReadPayload(length, out entry);
    }

    private RecordStep ReadPayload(uint length, out PersistedEntry? entry)
    {
        entry = null;
        _crc = 0;
        long remaining = length - 2L;
        int keyLength = TryRead(2) ? BinaryPrimitives.ReadUInt16LittleEndian(Checked(2)) : -1;
        if (keyLength < 0 || !TryReadArray(keyLength, remaining - 24, out byte[] key))
        {
            return Stop(RecordStep.Corrupt, "key length does not fit the record");
        }

        remaining -= keyLength + 4L;
        if (!TryReadLength(Math.Min(CacheFileFormat.MaxHeadLength, remaining - 20), out byte[] head))
        {
            return Stop(RecordStep.Corrupt, "head length does not fit the record");
        }

        remaining -= head.Length + 4L;
        if (!TryReadLength(remaining - 16, out byte[] body) || body.Length != remaining - 16)
        {
            return Stop(RecordStep.Corrupt, "body length does not match the record length");
        }

        if (!TryRead(16))
        {
            return Stop(RecordStep.Truncated, "the file ends inside a record");
        }

        long bornAt = BinaryPrimitives.ReadInt64LittleEndian(Checked(16));
        long expiresAt = BinaryPrimitives.ReadInt64LittleEndian(_scratch.AsSpan(8));
        uint computed = _crc;
        if (!TryRead(4))
        {
            return Stop(RecordStep.Truncated, "the file ends inside a record");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
        if (stored != computed)
        {
            return Stop(RecordStep.Corrupt, $"checksum mismatch (stored 0x{stored:X8}, computed 0x{computed:X8})");
        }

        if (!CacheFileFormat.IsValidTimestamp(bornAt) || !CacheFileFormat.IsValidTimestamp(expiresAt))
        {
            return Stop(RecordStep.Corrupt, "timestamp out of range");
        }

        entry = new PersistedEntry(
            Encoding.UTF8.GetString(key),
            head,
            body,
            DateTimeOffset.FromUnixTimeMilliseconds(bornAt),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresAt));
        return RecordStep.Record;
    }

    private RecordStep ReadTrailer(long recordsSoFar)
    {
        if (!TryRead(8))
        {
            return Stop(RecordStep.Truncated, "the file ends inside the end marker");
        }

        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(_scratch);
        if (count != (ulong)recordsSoFar)
        {
            return Stop(RecordStep.Corrupt, $"end marker counts {count} records but {recordsSoFar} were read");
        }

        if (Position != fileLength)
        {
            return Stop(RecordStep.Corrupt, $"{fileLength - Position} bytes follow the end marker");
        }

        return RecordStep.End;
    }

    /// <summary>Reads a uint32 length (into the checksum) and then that many bytes, if it is at most <paramref name="max"/>.</summary>
    private bool TryReadLength(long max, out byte[] bytes)
    {
        bytes = [];
        if (!TryRead(4))
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(Checked(4));
        return TryReadArray(length, max, out bytes);
    }

    private bool TryReadArray(long length, long max, out byte[] bytes)
    {
        bytes = [];
        if (length > max || length > CacheFileFormat.MaxBodyLength)
        {
            return false;
        }

        bytes = new byte[length];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        Position += read;
        _crc = Crc32.Append(_crc, bytes.AsSpan(0, read));
        return read == bytes.Length;
    }

    private bool TryRead(int count)
    {
        int read = stream.ReadAtLeast(_scratch.AsSpan(0, count), count, throwOnEndOfStream: false);
        Position += read;
        return read == count;
    }

    /// <summary>The scratch bytes just read, added to the running checksum.</summary>
    private Span<byte> Checked(int count)
    {
        Span<byte> bytes = _scratch.AsSpan(0, count);
        _crc = Crc32.Append(_crc, bytes);
        return bytes;
    }

    private RecordStep Stop(RecordStep step, string reason)
    {
        Reason = reason;
        return step;
    }
}
