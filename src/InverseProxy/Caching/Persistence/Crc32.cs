using System.Buffers.Binary;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// CRC-32 as used by IEEE 802.3, zlib and PNG (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF).
/// System.IO.Hashing is not part of the shared framework, so it lives here, sliced by 8 because cache bodies
/// can add up to gigabytes per flush.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB8_8320;

    /// <summary>Eight 256-entry tables back to back; table k advances the CRC over k further zero bytes.</summary>
    private static readonly uint[] s_tables = BuildTables();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        return Append(0, data);
    }

    /// <summary>Continues a finished CRC value over more bytes: Append(Compute(a), b) == Compute(a + b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t = s_tables;
        uint state = ~crc;
        while (data.Length >= 8)
        {
            uint one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            uint two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)]
                ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            state = t[(byte)(state ^ b)] ^ (state >> 8);
        }

        return ~state;
    }

    private static uint[] BuildTables()
    {
        var t = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint value = i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ Polynomial : value >> 1;
            }

            t[i] = value;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint previous = t[((k - 1) * 256) + i];
                t[(k * 256) + i] = (previous >> 8) ^ t[previous & 0xFF];
            }
        }

        return t;
    }
}
