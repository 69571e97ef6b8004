using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Caching;

/// <summary>Runs alone: it measures this process's heap, which parallel tests would add to.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "heap measurement";
}

/// <summary>A response being stored holds what has arrived of it, not its declared size.</summary>
[Collection(HeapMeasurementCollection.Name)]
public sealed class CaptureMemoryTests
{
    private const int Clients = 20;
    private const long BodyBytes = 8L * 1024 * 1024;
    private const int SentBytes = 512 * 1024;

    /// <summary>
    /// Each origin answer declares 8 MB, cacheable, sends 512 KB of it and stalls, and no client reads: the
    /// proxy holds 20 responses being stored, each with a fraction of its body. (Stalling the origin, not only the
    /// clients, keeps the figure apart from how much a loopback socket buffers: about 4 MB here.)
    /// </summary>
    [Fact]
    public void Get_TwentyStalled8MBResponsesBeingStored_HeapGrowsUnder40MB()
    {
        using var release = new ManualResetEventSlim(false);
        int answered = 0;
        using var origin = new LoopbackListener("stalling-origin", (socket, _) =>
        {
            var reader = new WireReader(socket);
            if (reader.ReadHead() is null)
            {
                return;
            }
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {BodyBytes}\r\nCache-Control: max-age=60\r\n\r\n"));
            BytePattern.Send(socket, SentBytes);
            Interlocked.Increment(ref answered);
            release.Wait(TimeSpan.FromSeconds(30));
        });
        using var proxy = ProxyInstance.Start(o => o.MaxEntrySize = BodyBytes, origin.Port);
        using var memory = MemoryWatch.Start();
        var clients = new List<RawClient>();
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                var client = new RawClient(proxy.Port);
                client.Send($"GET /big/{i} HTTP/1.1\r\nHost: h\r\n\r\n");
                clients.Add(client);
            }
            Assert.True(Poll.Until(() => Volatile.Read(ref answered) == Clients), "the origin did not answer every request");
            // Give every relay time to take in what its origin sent.
            var settle = Stopwatch.StartNew();
            Poll.Until(() => settle.Elapsed > TimeSpan.FromSeconds(1));

            Assert.True(memory.HeapGrowth < 40L * 1024 * 1024, $"managed heap grew by {memory.HeapGrowth / (1024 * 1024)} MB");
        }
        finally
        {
            release.Set();
            clients.ForEach(c => c.Dispose());
        }
    }
}
