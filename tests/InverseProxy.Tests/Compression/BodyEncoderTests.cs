using System.IO.Compression;
using InverseProxy.Compression;

namespace InverseProxy.Tests.Compression;

public sealed class BodyEncoderTests
{
    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public void Encode_Body_DecodesToTheSameBytes(string token)
    {
        Assert.True(ContentCodings.TryParse(token, out var coding));
        byte[] body = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"name\":\"value\"},", 2000)));

        byte[] encoded = BodyEncoder.Encode(coding, body);

        using var input = new MemoryStream(encoded);
        using Stream decoder = coding == ContentCoding.Brotli
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        Assert.Equal(body, output.ToArray());
        Assert.True(encoded.Length < body.Length / 10);
    }
}
