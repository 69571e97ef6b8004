using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class RequestBodyTests
{
    private const string ChunkedPost = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";

    [Theory]
    [InlineData("5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n")]
    [InlineData("5;\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    public void ChunkedBody_MalformedWithinBuffer_400AndNoTargetContacted(string body)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange(ChunkedPost + body);

        Assert.Equal("HTTP/1.1 400 Bad Request", response.StartLine);
        Assert.Equal(0, origin.ConnectionCount);
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n")]
    [InlineData("Content-Length: 5, 5\r\n")]
    public void ContentLength_IdenticalDuplicates_ForwardedAsOneField(string fields)
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange($"POST /up HTTP/1.1\r\nHost: h\r\n{fields}\r\nhello");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        var seen = Assert.Single(origin.Requests);
        Assert.Contains("\r\nContent-Length: 5\r\n", seen.Message.RawHead);
        Assert.Equal(1, seen.Message.CountOf("Content-Length"));
        Assert.Equal("hello", seen.Message.BodyText);
    }

    [Fact]
    public void ChunkedBody_WithinBufferWithoutTrailers_ForwardedWithContentLength()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored"));
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange(ChunkedPost + "5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nContent-Type: text/evil\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("11", seen.Header("Content-Length"));
        Assert.Null(seen.Header("Transfer-Encoding"));
        Assert.Equal("hello world", seen.Message.BodyText);
        Assert.DoesNotContain("evil", seen.Message.RawHead);
    }

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(4)]
    public void ChunkedBody_Trailers_FramingRoutingAndAuthenticationFieldsDropped(int bufferSize)
    {
        // Buffered (re-chunked as one chunk) or streamed, the trailers that may travel are the same.
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("stored"));
        using var proxy = ProxyInstance.Start(o => o.RequestBufferSize = bufferSize, origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange(ChunkedPost + "5\r\nhello\r\n6\r\n world\r\n0\r\n"
            + "X-Checksum: abc\r\nContent-Length: 3\r\nHost: evil\r\nAuthorization: Basic eA==\r\nCookie: s=1\r\n"
            + "Transfer-Encoding: gzip\r\nCache-Control: no-cache\r\nMax-Forwards: 0\r\nTrailer: X\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal("chunked", seen.Header("Transfer-Encoding"));
        Assert.Equal("hello world", seen.Message.BodyText);
        Assert.Equal(new KeyValuePair<string, string>("X-Checksum", "abc"), Assert.Single(seen.Message.Trailers));
    }

    [Fact]
    public void ChunkedResponse_Trailers_ForbiddenFieldsDropped()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Body = "chunked"u8.ToArray(),
            Chunked = true,
            Headers = [new("Cache-Control", "no-store")],
            Trailers = [new("X-Digest", "d1"), new("Set-Cookie", "s=evil"), new("Content-Length", "1")],
        });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /t HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal("chunked", response.BodyText);
        Assert.Equal(new KeyValuePair<string, string>("X-Digest", "d1"), Assert.Single(response.Trailers));
    }

    [Fact]
    public void ChunkedBody_IdempotentRequestTargetClosedWithoutAnswer_ReplayedOnNextTarget()
    {
        using var broken = new ScriptedOrigin(r => new OriginResponse { Hangup = true });
        using var healthy = new ScriptedOrigin(r => OriginResponse.Text($"got {r.Message.BodyText}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(broken.Port, healthy.Port);

        // Round-robin: of two requests one is tried on the broken target first.
        for (int i = 0; i < 2; i++)
        {
            using var client = new RawClient(proxy.Port);
            var response = client.Exchange($"OPTIONS /o{i} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

            Assert.Equal("HTTP/1.1 200 OK", response.StartLine);
            Assert.Equal("got hello", response.BodyText);
        }
        Assert.True(broken.RequestCount >= 1);
    }

    [Fact]
    public void ChunkedBody_Http10Target_WithinBufferSentWithContentLength_LargerGets411()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse
        {
            Raw = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {r.Message.Body.Length}\r\n\r\n{r.Message.BodyText}"),
            CloseAfter = true,
        });
        using var proxy = ProxyInstance.Start(o => o.RequestBufferSize = 1024, origin.Port);

        using (var first = new RawClient(proxy.Port))
        {
            Assert.Equal(200, first.Exchange("GET /learn HTTP/1.1\r\nHost: h\r\n\r\n").Status()); // its version is now known
        }
        using (var first = new RawClient(proxy.Port))
        {
            var small = first.Exchange(ChunkedPost + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n");
            Assert.Equal("HTTP/1.1 200 OK", small.StartLine);
            Assert.Equal("hello", small.BodyText);
        }
        var seen = origin.Requests.Last();
        Assert.Equal("5", seen.Header("Content-Length"));
        Assert.Null(seen.Header("Transfer-Encoding"));

        using var second = new RawClient(proxy.Port);
        string chunk = new('x', 2000);
        second.Send(ChunkedPost + $"{chunk.Length:X}\r\n{chunk}\r\n");
        var large = second.ReadResponse();

        Assert.Equal("HTTP/1.1 411 Length Required", large.StartLine);
        Assert.Equal("close", large.Header("Connection"));
        Assert.Equal(2, origin.RequestCount);
    }
}
