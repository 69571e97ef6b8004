using System.IO.Compression;

namespace InverseProxy.Compression;

/// <summary>
/// The encoders, at their fastest levels (gzip level 1, brotli quality 1): a response is encoded once, on the miss
/// that stores it, and a hit sends the stored bytes, so the level trades the miss's CPU against size alone
/// (measured: see bench/run.sh, rows "text-100k").
/// </summary>
internal static class BodyEncoder
{
    /// <summary>A stream that encodes what is written to it into <paramref name="output"/>, left open when disposed.</summary>
    public static Stream Open(ContentCoding coding, Stream output) => coding switch
    {
        ContentCoding.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        ContentCoding.Brotli => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "identity is not an encoding"),
    };

    /// <summary>A whole body, encoded.</summary>
    public static byte[] Encode(ContentCoding coding, ReadOnlySpan<byte> body)
    {
        var output = new MemoryStream(Math.Max(256, body.Length / 4));
        using (var encoder = Open(coding, output))
        {
            encoder.Write(body);
        }
        return output.ToArray();
    }
}
