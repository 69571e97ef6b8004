using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class ChunkedTests
{
    [Fact]
    public void ChunkedRequest_WithExtensionsAndTrailers_OriginSeesChunkedBodyAndTrailers()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("chunked", seen.Header("Transfer-Encoding"));
        Assert.Null(seen.Header("Content-Length"));
        Assert.Equal("hello world", seen.Message.BodyText);
        Assert.Equal(new KeyValuePair<string, string>("X-Checksum", "abc"), Assert.Single(seen.Message.Trailers));
    }

    [Fact]
    public void ChunkedResponse_WithTrailersToHttp11Client_RelayedChunkedWithSameBytes()
    {
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + (i % 26)))));
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = body,
            Chunked = true,
            Headers = [new("Cache-Control", "no-store"), new("Trailer", "X-Digest")],
            Trailers = [new("X-Digest", "d1")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\n");
        var again = client.Exchange("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", response.RawHead);
        Assert.DoesNotContain("Content-Length", response.RawHead);
        Assert.Equal(body, response.Body);
        Assert.Equal(new KeyValuePair<string, string>("X-Digest", "d1"), Assert.Single(response.Trailers));
        Assert.Equal(body, again.Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnframedOriginResponse_ToHttp10Client_CloseDelimitedWithoutChunking(bool chunkedOrigin)
    {
        var body = Encoding.ASCII.GetBytes("body of unknown length");
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = body,
            Chunked = chunkedOrigin,
            CloseDelimited = !chunkedOrigin,
            Headers = [new("Cache-Control", "no-store")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /u HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var head = client.Reader.ReadHead()!.Value;
        var received = client.Reader.ReadToEnd();

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head.raw);
        Assert.DoesNotContain("Transfer-Encoding", head.raw);
        Assert.DoesNotContain("Content-Length", head.raw);
        Assert.Contains("\r\nConnection: close\r\n", head.raw);
        Assert.Equal(body, received);
    }

    [Fact]
    public void CloseDelimitedOriginResponse_ToHttp11Client_ChunkedAndConnectionKept()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = Encoding.ASCII.GetBytes($"until close {r.Target}"),
            CloseDelimited = true,
            Headers = [new("Cache-Control", "no-store")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = client.Exchange("GET /b HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Contains("\r\nTransfer-Encoding: chunked\r\n", first.RawHead);
        Assert.Equal("until close /a", first.BodyText);
        Assert.Equal("until close /b", second.BodyText);
        Assert.Equal(2, origin.ConnectionCount);
    }

    [Theory]
    [InlineData("HTTP/1.0")]
    [InlineData("HTTP/1.1")]
    public void ChunkedOriginResponseWithContentLength_ToClient_ContentLengthNotForwarded(string version)
    {
        // RFC 9112 §6.3 item 3: Transfer-Encoding overrides Content-Length, and an intermediary removes the latter.
        var raw = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 3\r\n"
            + "Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n");
        using var origin = new ScriptedOrigin(r => new OriginResponse { Raw = raw });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"GET /both {version}\r\nHost: h\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        Assert.Null(response.Header("Content-Length"));
        Assert.Equal("0123456789", response.BodyText);
    }
}
