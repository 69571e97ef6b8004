using System.Buffers.Binary;

namespace WsLoad;

// A message is: tunnel id (4 bytes), sequence number (8 bytes), then filler derived from both, so that an echo that
// comes back late, out of order, from another tunnel or altered is told apart from the one expected.
internal static class MessageCodec
{
    public const int HeaderBytes = 12;

    public static void Fill(Span<byte> message, int tunnel, long sequence)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, tunnel);
        BinaryPrimitives.WriteInt64LittleEndian(message[4..], sequence);
        byte seed = (byte)(tunnel * 31 + sequence);
        for (int i = HeaderBytes; i < message.Length; i++)
        {
            message[i] = (byte)(seed + i);
        }
    }

    public static bool Matches(ReadOnlySpan<byte> echo, ReadOnlySpan<byte> sent) => echo.SequenceEqual(sent);
}
