using System.Buffers.Binary;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// The cache file layout, version 1. The layout is an API: a change to any value here must bump
/// <see cref="CurrentVersion"/>, and the golden-bytes test pins it. All integers are little-endian.
/// <code>
/// header   (24 bytes)
///   0   8  magic "IPXCACHE" (ASCII)
///   8   2  uint16 format version (1)
///   10  2  uint16 flags, written 0, ignored on read
///   12  4  uint32 reserved, written 0, ignored on read
///   16  8  int64  created at, unix milliseconds
/// record   (repeated, most recently used first)
///   uint32 payload length L (never 0xFFFFFFFF)
///   L bytes payload:
///     uint16 key length,  key bytes (UTF-8)
///     uint32 head length, head bytes (status line and fields, CRLF ends, no blank line)
///     uint32 body length, body bytes
///     int64  born at, unix milliseconds
///     int64  expires at, unix milliseconds
///   uint32 CRC-32 (IEEE 802.3) of the L payload bytes
/// trailer  (12 bytes)
///   uint32 end marker 0xFFFFFFFF
///   uint64 number of records written
/// </code>
/// A file without the trailer is torn; every whole record before the tear is still usable.
/// </summary>
internal static class CacheFileFormat
{
    public const int CurrentVersion = 1;

    public const int HeaderLength = 24;

    public const int VersionOffset = 8;

    public const int CreatedAtOffset = 16;

    /// <summary>Length prefix plus checksum around each payload.</summary>
    public const int RecordOverhead = 8;

    /// <summary>The length fields and the two timestamps of a payload with empty key, head and body.</summary>
    public const int FixedPayloadLength = 2 + 4 + 4 + 8 + 8;

    public const uint EndMarker = 0xFFFF_FFFF;

    public const int TrailerLength = 12;

    public const int MaxKeyLength = ushort.MaxValue;

    public const int MaxHeadLength = 1 << 20;

    /// <summary>The largest byte array the runtime allocates (<see cref="Array.MaxLength"/>).</summary>
    public const int MaxBodyLength = 0x7FFF_FFC7;

    public const long MaxPayloadLength = FixedPayloadLength + MaxKeyLength + MaxHeadLength + (long)MaxBodyLength;

    public static ReadOnlySpan<byte> Magic => "IPXCACHE"u8;

    public static void WriteHeader(Span<byte> destination, int version, DateTimeOffset createdAt)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[VersionOffset..], (ushort)version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[CreatedAtOffset..], createdAt.ToUnixTimeMilliseconds());
    }

    /// <summary>True when unix milliseconds <paramref name="value"/> is representable as a DateTimeOffset.</summary>
    public static bool IsValidTimestamp(long value)
    {
        return value >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds()
            && value <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
    }
}
