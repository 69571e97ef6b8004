using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Upstream;

[Trait("Category", "Large")]
public sealed class LargeBodyTests
{
    private const long OneGigabyte = 1L << 30;
    private const long MemoryBudget = 200L * 1024 * 1024;

    [Fact]
    public void Post_OneGigabyteBody_StreamedToOriginWithFlatMemory()
    {
        using var origin = new StreamingOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 60_000);
        using var memory = MemoryWatch.Start();

        client.Send($"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: {OneGigabyte}\r\n\r\n");
        BytePattern.Send(client.Socket, OneGigabyte);
        var response = client.ReadResponse();

        Assert.Equal(200, response.Status());
        Assert.Equal($"received {OneGigabyte} intact", response.BodyText);
        var seen = Assert.Single(origin.Requests);
        Assert.Equal(OneGigabyte, seen.BodyBytes);
        Assert.True(memory.HeapGrowth < MemoryBudget, $"managed heap grew by {memory.HeapGrowth} bytes");
        Assert.True(memory.WorkingSetGrowth < MemoryBudget, $"working set grew by {memory.WorkingSetGrowth} bytes");
    }

    [Fact]
    public void Get_OneGigabyteResponse_StreamedToClientWithFlatMemory()
    {
        using var origin = new StreamingOrigin();
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port, receiveTimeoutMs: 60_000);
        using var memory = MemoryWatch.Start();

        client.Send($"GET /bytes/{OneGigabyte} HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = client.Reader.ReadHead();
        Assert.NotNull(head);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head.Value.raw);
        Assert.Equal(OneGigabyte.ToString(), new WireMessage { Headers = head.Value.headers }.Header("Content-Length"));
        var (bytes, intact) = client.Reader.ReadPatternBody(OneGigabyte);

        Assert.Equal(OneGigabyte, bytes);
        Assert.True(intact, "the body arrived altered");
        Assert.True(memory.HeapGrowth < MemoryBudget, $"managed heap grew by {memory.HeapGrowth} bytes");
        Assert.True(memory.WorkingSetGrowth < MemoryBudget, $"working set grew by {memory.WorkingSetGrowth} bytes");
    }
}
