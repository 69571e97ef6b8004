using System.Buffers;
using System.Globalization;

namespace InverseProxy.Http;

/// <summary>Writes the framing of the chunked transfer coding (RFC 9112 §7.1); the data bytes are the caller's.</summary>
internal static class ChunkedEncoder
{
    /// <summary>Room for 16 hex digits and CRLF.</summary>
    public const int MaxChunkHeaderBytes = 18;

    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    /// <summary>Writes "{hex size}\r\n" into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteChunkHeader(long size, Span<byte> destination)
    {
        // A zero size here would end the body early: the last chunk is written only by WriteLastChunk.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (!size.TryFormat(destination, out int written, "X", CultureInfo.InvariantCulture)
            || destination.Length < written + 2)
        {
            throw new ArgumentException("destination too small for a chunk header", nameof(destination));
        }
        Crlf.CopyTo(destination[written..]);
        return written + 2;
    }

    public static void WriteChunkHeader(long size, IBufferWriter<byte> output)
    {
        int written = WriteChunkHeader(size, output.GetSpan(MaxChunkHeaderBytes));
        output.Advance(written);
    }

    /// <summary>The CRLF that follows each chunk's data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => output.Write(Crlf);

    /// <summary>Writes "0\r\n", the trailer fields if any, and the final "\r\n".</summary>
    public static void WriteLastChunk(HttpHeaders? trailers, IBufferWriter<byte> output)
    {
        output.Write("0\r\n"u8);
        if (trailers is not null && trailers.Count > 0)
        {
            HeadWriter.WriteFields(trailers, output);
        }
        output.Write(Crlf);
    }
}
