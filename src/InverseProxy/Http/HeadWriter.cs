using System.Buffers;

namespace InverseProxy.Http;

/// <summary>Serializes heads to wire bytes (ASCII/Latin-1, CRLF line ends, ending with the blank line).</summary>
internal static class HeadWriter
{
    public static void WriteRequestHead(RequestHead head, IBufferWriter<byte> output)
    {
        throw new NotImplementedException();
    }

    /// <summary>Writes the status line and headers. Ends with the blank line only if <paramref name="terminate"/>.</summary>
    public static void WriteResponseHead(HttpVersion version, int statusCode, string reason, HttpHeaders headers, IBufferWriter<byte> output, bool terminate = true)
    {
        throw new NotImplementedException();
    }
}
