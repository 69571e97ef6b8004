using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>Transfer codings other than chunked describe the body bytes and must travel with them (RFC 9112 §6.1).</summary>
public sealed class TransferCodingTests
{
    private static readonly byte[] CodedBody = [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03];

    private static OriginResponse GzipChunked() => new()
    {
        Raw = [.. Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nCache-Control: max-age=60\r\n\r\n7\r\n"), .. CodedBody, .. "\r\n0\r\n\r\n"u8.ToArray()],
    };

    [Fact]
    public void GzipChunkedResponse_Http11Client_KeepsTheCodingLabel()
    {
        using var origin = new ScriptedOrigin(_ => GzipChunked());
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var first = client.Exchange("GET /coded HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = client.Exchange("GET /coded HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.Equal(200, first.Status());
        Assert.Equal("gzip, chunked", first.Header("Transfer-Encoding"));
        Assert.Equal(CodedBody, first.Body);
        Assert.Equal(CodedBody, second.Body);
        Assert.Equal(2, origin.RequestCount); // a transfer-coded body is never stored as if it were the content
    }

    [Fact]
    public void GzipChunkedResponse_Http10Client_Gets502()
    {
        using var origin = new ScriptedOrigin(_ => GzipChunked());
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        var response = client.Exchange("GET /coded HTTP/1.0\r\nHost: h\r\n\r\n");

        Assert.Equal(502, response.Status());
        Assert.Null(response.Header("Transfer-Encoding"));
    }
}
