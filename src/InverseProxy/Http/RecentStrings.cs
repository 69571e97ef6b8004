using System.Text;

namespace InverseProxy.Http;

/// <summary>
/// Strings decoded from message bytes, shared by every connection: a request target, field name or value that any
/// connection sent recently decodes to the instance already made, so a new connection's first request allocates
/// nothing for it (see <see cref="Networking.ConnectionBuffers"/> for why that matters). A fixed table of slots,
/// each holding the last string whose bytes hashed there. Threads race on slots by design: a slot is one
/// reference, read or replaced whole, and strings are immutable, so a collision costs an allocation and nothing
/// else. There are no chains, so crafted collisions cannot slow a lookup.
/// </summary>
internal static class RecentStrings
{
    public const int MaxLength = 128;
    private const int SlotCount = 4096; // a power of two

    private static readonly string?[] s_slots = new string?[SlotCount];

    /// <summary>The bytes as Latin-1 (one char per byte: obs-text in field values survives a round trip).</summary>
    public static string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            return Encoding.Latin1.GetString(bytes);
        }
        ref string? slot = ref s_slots[Hash(bytes) & (SlotCount - 1)];
        string? found = Volatile.Read(ref slot);
        if (HttpChars.SameText(found, bytes))
        {
            return found!;
        }
        string made = Encoding.Latin1.GetString(bytes);
        Volatile.Write(ref slot, made);
        return made;
    }

    // FNV-1a: short inputs, no allocation, and a collision is harmless.
    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 16777619;
        }
        return (int)(hash ^ (hash >> 15));
    }
}
