using System.Text;
using InverseProxy.Caching;
using InverseProxy.Http;

namespace InverseProxy.Tests.Caching;

public sealed class StoredHeadCodecTests
{
    [Fact]
    public void Encode_StatusAndFields_WireFormWithoutBlankLine()
    {
        var headers = new HttpHeaders([new("Content-Type", "text/plain"), new("X-Empty", "")]);

        byte[] head = StoredHeadCodec.Encode(404, "Not Found", headers);

        Assert.Equal("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nX-Empty: \r\n", Encoding.Latin1.GetString(head));
    }

    [Fact]
    public void TryDecode_WhatEncodeWrote_RoundTrips()
    {
        var headers = new HttpHeaders([new("Set-Cookie", "a=1"), new("Set-Cookie", "b=2"), new("X-Latin", "caf\u00e9\tx")]);

        Assert.True(StoredHeadCodec.TryDecode(StoredHeadCodec.Encode(200, "", headers), out int status, out string reason, out var decoded));

        Assert.Equal(200, status);
        Assert.Equal("", reason);
        Assert.Equal(headers.ToArray(), decoded.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1 200 OK")]
    [InlineData("HTTP/1.0 200 OK\r\n")]
    [InlineData("HTTP/1.1 20x OK\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n")]
    [InlineData("HTTP/1.1 099 X\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColon\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nName:value\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: v\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: v\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\nC: d\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\0\r\n")]
    public void TryDecode_Malformed_False(string text)
    {
        Assert.False(StoredHeadCodec.TryDecode(Encoding.Latin1.GetBytes(text), out _, out _, out _));
    }
}
