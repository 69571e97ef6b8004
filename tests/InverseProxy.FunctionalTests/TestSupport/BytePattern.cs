using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A body of any length generated on the fly: byte i is <c>i % 251</c> (a prime, so chunk boundaries never line up
/// with the cycle). Lets tests stream gigabytes and check every byte without holding more than one block.
/// </summary>
internal static class BytePattern
{
    private const int Cycle = 251;

    /// <summary>256 whole cycles: a slice starting at any multiple of the cycle continues the pattern.</summary>
    private static readonly byte[] s_block = Enumerable.Range(0, Cycle * 256).Select(i => (byte)(i % Cycle)).ToArray();

    /// <summary>Sends <paramref name="count"/> pattern bytes, block by block.</summary>
    public static void Send(Socket socket, long count)
    {
        long left = count;
        while (left > 0)
        {
            int take = (int)Math.Min(left, s_block.Length);
            int sent = 0;
            while (sent < take)
            {
                sent += socket.Send(s_block, sent, take - sent, SocketFlags.None);
            }
            left -= take;
        }
    }

    /// <summary>True if <paramref name="data"/> is the pattern starting at byte <paramref name="offset"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> data, long offset)
    {
        while (data.Length > 0)
        {
            int phase = (int)(offset % Cycle);
            int take = Math.Min(data.Length, s_block.Length - phase);
            if (!data[..take].SequenceEqual(s_block.AsSpan(phase, take)))
            {
                return false;
            }
            data = data[take..];
            offset += take;
        }
        return true;
    }
}
