using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class HttpParseErrorsTests
{
    [Theory]
    [InlineData(nameof(HttpParseError.RequestLineTooLong), 414)]
    [InlineData(nameof(HttpParseError.HeadTooLarge), 431)]
    [InlineData(nameof(HttpParseError.TooManyHeaders), 431)]
    [InlineData(nameof(HttpParseError.TrailersTooLarge), 431)]
    [InlineData(nameof(HttpParseError.BodyTooLarge), 413)]
    [InlineData(nameof(HttpParseError.UnsupportedVersion), 505)]
    [InlineData(nameof(HttpParseError.UnknownTransferCoding), 501)]
    [InlineData(nameof(HttpParseError.MethodTooLong), 501)]
    [InlineData(nameof(HttpParseError.BadChunkExtension), 400)]
    [InlineData(nameof(HttpParseError.MultipleContentLengths), 400)]
    [InlineData(nameof(HttpParseError.BareLineFeed), 400)]
    [InlineData(nameof(HttpParseError.UnexpectedEndOfBody), 400)]
    public void ToStatusCode_Error_MapsToStatus(string error, int status)
    {
        Assert.Equal(status, Enum.Parse<HttpParseError>(error).ToStatusCode());
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(411, "Length Required")]
    [InlineData(414, "URI Too Long")]
    [InlineData(417, "Expectation Failed")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(299, "Unknown")]
    public void ReasonPhrase_Status_ReturnsText(int status, string reason)
    {
        Assert.Equal(reason, HttpParseErrors.ReasonPhrase(status));
    }

    [Fact]
    public void Escape_ControlAndNonAsciiBytes_AreHexEscaped()
    {
        byte[] bytes = [0x61, 0x0D, 0x0A, 0x62, 0x00, 0xE9, 0x5C];

        Assert.Equal(@"a\x0D\x0Ab\x00\xE9\x5C", HttpParseErrors.Escape(bytes));
    }

    [Fact]
    public void Escape_LongInput_IsCappedWithEllipsis()
    {
        string escaped = HttpParseErrors.Escape(Enumerable.Repeat((byte)'a', 200).ToArray());

        Assert.Equal(new string('a', 64) + "...", escaped);
    }
}
