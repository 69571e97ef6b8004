using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class ChunkedDecoderTests
{
    public static TheoryData<string, string> ValidBodies => new()
    {
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
        { "a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij" },
        { "0000000000000005\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;name=value;flag\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "5 ;ext=\"quoted\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5 ; a = b ;c\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;a=\"q\\\"; x\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "0\r\n\r\n", "" },
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Decode_WholeInput_YieldsBodyAndDone(string wire, string expected)
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = Encoding.ASCII.GetBytes(wire + "NEXT");

        var (body, consumed, done) = Feed(decoder, bytes, bytes.Length);

        Assert.True(done);
        Assert.Equal(expected, body);
        Assert.Equal(wire.Length, consumed);
        Assert.NotNull(decoder.Trailers);
        Assert.Equal(0, decoder.Trailers.Count);
    }

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Decode_OneByteAtATime_YieldsSameBody(string wire, string expected)
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = Encoding.ASCII.GetBytes(wire);

        var (body, consumed, done) = Feed(decoder, bytes, 1);

        Assert.True(done);
        Assert.Equal(expected, body);
        Assert.Equal(wire.Length, consumed);
    }

    [Theory]
    [InlineData("5;\r\n")]
    [InlineData("5; \r\n")]
    [InlineData("5;;a\r\n")]
    [InlineData("5;=x\r\n")]
    [InlineData("5;a b\r\n")]
    [InlineData("5;a@b\r\n")]
    [InlineData("5;a=\r\n")]
    [InlineData("5;a=b c\r\n")]
    [InlineData("5;a=\"open\r\n")]
    [InlineData("5;a=\"x\"y\r\n")]
    [InlineData("5;a=(b)\r\n")]
    public void Decode_MalformedExtension_ThrowsBadChunkExtension(string sizeLine)
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = Encoding.ASCII.GetBytes(sizeLine + "hello\r\n0\r\n\r\n");

        var ex = Assert.Throws<HttpParseException>(() => Feed(decoder, bytes, 1));

        Assert.Equal(HttpParseError.BadChunkExtension, ex.Error);
        Assert.Equal(400, ex.Error.ToStatusCode());
    }

    [Fact]
    public void Decode_Trailers_AreParsedIntoHeaders()
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = "3\r\nabc\r\n0\r\nX-Checksum: 123\r\nX-Other:  v \r\n\r\n"u8.ToArray();

        var (body, _, done) = Feed(decoder, bytes, 1);

        Assert.True(done);
        Assert.Equal("abc", body);
        Assert.Equal(2, decoder.Trailers!.Count);
        Assert.Equal("123", decoder.Trailers.Get("x-checksum"));
        Assert.Equal("v", decoder.Trailers.Get("X-Other"));
    }

    [Fact]
    public void Decode_DataSplitAcrossReads_ReturnsSlicesRelativeToInput()
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = "5\r\nhello\r\n0\r\n\r\n"u8.ToArray();

        Assert.Equal(ChunkedStatus.Data, decoder.Decode(bytes.AsSpan(0, 5), out int consumed, out int offset, out int length));

        Assert.Equal((5, 3, 2), (consumed, offset, length));
        Assert.Equal(ChunkedStatus.Data, decoder.Decode(bytes.AsSpan(5), out consumed, out offset, out length));
        Assert.Equal((3, 0, 3), (consumed, offset, length));
    }

    [Fact]
    public void Decode_AfterReset_DecodesNextBody()
    {
        var decoder = new ChunkedDecoder();
        Feed(decoder, "1\r\na\r\n0\r\nX: y\r\n\r\n"u8.ToArray(), 64);

        decoder.Reset();
        var (body, _, done) = Feed(decoder, "2\r\nbc\r\n0\r\n\r\n"u8.ToArray(), 64);

        Assert.True(done);
        Assert.Equal("bc", body);
        Assert.Equal(0, decoder.Trailers!.Count);
    }

    [Theory]
    [InlineData("\r\nhello\r\n0\r\n\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("g\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("-5\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("0x5\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("5 \r\nhello\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("00000000000000005\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("FFFFFFFFFFFFFFFF\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("8000000000000000\r\n", nameof(HttpParseError.BadChunkSize))]
    [InlineData("5;a\u0001b\r\n", nameof(HttpParseError.BadChunkExtension))]
    [InlineData("5\nhello\r\n", nameof(HttpParseError.BareLineFeed))]
    [InlineData("5;x\nhello\r\n", nameof(HttpParseError.BareLineFeed))]
    [InlineData("5\rhello\r\n", nameof(HttpParseError.BareCarriageReturn))]
    [InlineData("5\r\nhelloX\r\n0\r\n\r\n", nameof(HttpParseError.BadChunkTerminator))]
    [InlineData("5\r\nhello\rX0\r\n\r\n", nameof(HttpParseError.BadChunkTerminator))]
    [InlineData("5\r\nhello\n0\r\n\r\n", nameof(HttpParseError.BareLineFeed))]
    [InlineData("0\r\n\n", nameof(HttpParseError.BareLineFeed))]
    [InlineData("0\r\nX: y\n\r\n", nameof(HttpParseError.BareLineFeed))]
    [InlineData("0\r\n\rX", nameof(HttpParseError.BareCarriageReturn))]
    [InlineData("0\r\nBad Name: y\r\n\r\n", nameof(HttpParseError.InvalidHeaderName))]
    [InlineData("0\r\nX: y\r\n folded\r\n\r\n", nameof(HttpParseError.ObsoleteLineFolding))]
    public void Decode_Malformed_ThrowsNamedError(string wire, string error)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(wire);

        var whole = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(), bytes, bytes.Length));
        var bytewise = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(), bytes, 1));

        Assert.Equal(error, whole.Error.ToString());
        Assert.Equal(error, bytewise.Error.ToString());
    }

    [Fact]
    public void Decode_ExtensionOverCap_ThrowsChunkExtensionTooLong()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("5;" + new string('x', ChunkedDecoder.MaxChunkExtensionBytes + 1) + "\r\n");

        var ex = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(), bytes, bytes.Length));

        Assert.Equal(HttpParseError.ChunkExtensionTooLong, ex.Error);
    }

    [Fact]
    public void Decode_EndlessWhitespaceAfterSize_ThrowsChunkExtensionTooLong()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("5" + new string(' ', ChunkedDecoder.MaxChunkExtensionBytes + 1) + ";x\r\n");

        var ex = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(), bytes, 512));

        Assert.Equal(HttpParseError.ChunkExtensionTooLong, ex.Error);
    }

    [Fact]
    public void Decode_ExtensionAtCapOnEveryChunk_Decodes()
    {
        string extension = ";" + new string('x', ChunkedDecoder.MaxChunkExtensionBytes - 1);
        byte[] bytes = Encoding.ASCII.GetBytes($"1{extension}\r\na\r\n1{extension}\r\nb\r\n0\r\n\r\n");

        var (body, _, done) = Feed(new ChunkedDecoder(), bytes, bytes.Length);

        Assert.True(done);
        Assert.Equal("ab", body);
    }

    [Fact]
    public void Decode_TrailersOverByteCap_ThrowsTrailersTooLarge()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("0\r\nX: " + new string('v', 100) + "\r\n\r\n");

        var ex = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(maxTrailerBytes: 64), bytes, 7));

        Assert.Equal(HttpParseError.TrailersTooLarge, ex.Error);
        Assert.Equal(431, ex.Error.ToStatusCode());
    }

    [Fact]
    public void Decode_TrailersOverCountCap_ThrowsTooManyHeaders()
    {
        byte[] bytes = "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"u8.ToArray();

        var ex = Assert.Throws<HttpParseException>(() => Feed(new ChunkedDecoder(maxHeaderCount: 2), bytes, bytes.Length));

        Assert.Equal(HttpParseError.TooManyHeaders, ex.Error);
    }

    [Fact]
    public void Decode_TruncatedBody_StaysNeedMore()
    {
        var decoder = new ChunkedDecoder();
        byte[] bytes = "5\r\nhello\r\n0\r\n"u8.ToArray();

        var (body, consumed, done) = Feed(decoder, bytes, 3);

        Assert.False(done);
        Assert.Equal("hello", body);
        Assert.Equal(bytes.Length, consumed);
        Assert.Null(decoder.Trailers);
    }

    /// <summary>Feeds <paramref name="wire"/> in pieces of <paramref name="step"/> bytes, as a reader would.</summary>
    private static (string Body, int Consumed, bool Done) Feed(ChunkedDecoder decoder, byte[] wire, int step)
    {
        var body = new List<byte>();
        int pos = 0;
        while (pos < wire.Length)
        {
            var span = wire.AsSpan(pos, Math.Min(step, wire.Length - pos));
            while (true)
            {
                var status = decoder.Decode(span, out int consumed, out int offset, out int length);
                pos += consumed;
                if (status == ChunkedStatus.Done)
                {
                    return (Encoding.ASCII.GetString(body.ToArray()), pos, true);
                }
                if (status == ChunkedStatus.NeedMore)
                {
                    Assert.Equal(span.Length, consumed);
                    break;
                }
                body.AddRange(span.Slice(offset, length));
                span = span[consumed..];
            }
        }
        return (Encoding.ASCII.GetString(body.ToArray()), pos, false);
    }
}
