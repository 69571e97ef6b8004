using System.Buffers;
using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class ChunkedEncoderTests
{
    [Theory]
    [InlineData(1L, "1\r\n")]
    [InlineData(255L, "FF\r\n")]
    [InlineData(4096L, "1000\r\n")]
    [InlineData(long.MaxValue, "7FFFFFFFFFFFFFFF\r\n")]
    public void WriteChunkHeader_Size_WritesHexAndCrlf(long size, string expected)
    {
        var output = new ArrayBufferWriter<byte>();

        ChunkedEncoder.WriteChunkHeader(size, output);

        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteChunkHeader_ZeroSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkedEncoder.WriteChunkHeader(0, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void WriteLastChunk_WithTrailers_WritesFieldsAndBlankLine()
    {
        var output = new ArrayBufferWriter<byte>();
        var trailers = new HttpHeaders();
        trailers.Add("X-Sum", "1");

        ChunkedEncoder.WriteLastChunk(trailers, output);

        Assert.Equal("0\r\nX-Sum: 1\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Encode_ThenDecode_RoundTripsBodyAndTrailers()
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (string piece in new[] { "hello ", "chunked ", "world" })
        {
            ChunkedEncoder.WriteChunkHeader(piece.Length, output);
            output.Write(Encoding.ASCII.GetBytes(piece));
            ChunkedEncoder.WriteChunkEnd(output);
        }
        var trailers = new HttpHeaders();
        trailers.Add("Expires", "0");
        ChunkedEncoder.WriteLastChunk(trailers, output);
        var decoder = new ChunkedDecoder();
        var body = new List<byte>();
        ReadOnlySpan<byte> input = output.WrittenSpan;

        ChunkedStatus status;
        while ((status = decoder.Decode(input, out int consumed, out int offset, out int length)) == ChunkedStatus.Data)
        {
            body.AddRange(input.Slice(offset, length));
            input = input[consumed..];
        }

        Assert.Equal(ChunkedStatus.Done, status);
        Assert.Equal("hello chunked world", Encoding.ASCII.GetString(body.ToArray()));
        Assert.Equal("0", decoder.Trailers!.Get("Expires"));
    }
}
