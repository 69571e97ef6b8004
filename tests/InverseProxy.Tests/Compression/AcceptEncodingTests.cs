using InverseProxy.Compression;

namespace InverseProxy.Tests.Compression;

public sealed class AcceptEncodingTests
{
    [Theory]
    [InlineData(null, "identity")]
    [InlineData("", "identity")]
    [InlineData("gzip", "gzip")]
    [InlineData("x-gzip", "gzip")]
    [InlineData("GZIP", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br, gzip", "br")]
    [InlineData(" br ;q=0.5 , gzip ; q=0.8", "gzip")]
    [InlineData("br;q=0.8, gzip;q=0.8", "br")]
    [InlineData("deflate", "identity")]
    [InlineData("gzip;q=0", "identity")]
    [InlineData("gzip;q=0.000", "identity")]
    [InlineData("gzip;q=0.001", "gzip")]
    [InlineData("*", "br")]
    [InlineData("*;q=0.5, br;q=0", "gzip")]
    [InlineData("*, gzip;q=0, br;q=0", "identity")]
    [InlineData("identity, gzip;q=0.5", "identity")]
    [InlineData("identity;q=0.5, gzip", "gzip")]
    [InlineData("identity;q=0, gzip", "gzip")]
    [InlineData("identity", "identity")]
    [InlineData("gzip;level=1", "gzip")]
    public void Choose_AcceptEncoding_CodingWithHighestQuality(string? value, string expected)
    {
        Assert.Equal(expected, AcceptEncoding.Choose(value).Token());
    }

    [Theory]
    [InlineData("gzip;q=2")]
    [InlineData("gzip;q=1.5")]
    [InlineData("gzip;q=0.0001")]
    [InlineData("gzip;q=abc")]
    [InlineData("gzip;q=")]
    [InlineData("gzip;q=.5")]
    public void Choose_MalformedQuality_MemberIgnored(string value)
    {
        Assert.Equal(ContentCoding.Identity, AcceptEncoding.Choose(value));
        Assert.Equal(ContentCoding.Brotli, AcceptEncoding.Choose(value + ", br;q=0.1"));
    }
}
