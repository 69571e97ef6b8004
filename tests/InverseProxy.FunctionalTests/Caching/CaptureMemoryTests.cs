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
        var clients = AskWithoutReading(proxy.Port);
        try
        {
            Assert.True(Poll.Until(() => Volatile.Read(ref answered) == Clients), "the origin did not answer every request");
            // Give every relay time to take in what its origin sent.
            AssertHeapGrowsUnder40MB(memory, TimeSpan.FromSeconds(1));
        }
        finally
        {
            release.Set();
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The same with an origin that sends all 8 MB at once: what each relay takes in is bounded by the client's socket
    /// buffers only (about 4 MB on loopback), so the copies being stored are bounded by max_capture_memory instead.
    /// Those that would pass it are relayed without being stored, and what they took is given back when they end.
    /// </summary>
    [Fact]
    public void Get_TwentyUnread8MBResponsesSentWhole_HeapGrowsUnder40MBAndTheBudgetComesBack()
    {
        using var release = new ManualResetEventSlim(false);
        int sending = 0;
        using var origin = new LoopbackListener("sending-origin", (socket, _) =>
        {
            var reader = new WireReader(socket);
            if (reader.ReadHead() is null)
            {
                return;
            }
            Interlocked.Increment(ref sending);
            try
            {
                socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {BodyBytes}\r\nCache-Control: max-age=60\r\n\r\n"));
                BytePattern.Send(socket, BodyBytes);
            }
            catch (SocketException)
            {
                // The proxy gave up on this response when its client went away.
            }
            release.Wait(TimeSpan.FromSeconds(30));
        });
        using var proxy = ProxyInstance.Start(o => o.MaxEntrySize = BodyBytes, origin.Port);
        var budget = proxy.Server.Cache!.CaptureBudget;
        using var memory = MemoryWatch.Start();
        var clients = AskWithoutReading(proxy.Port);
        try
        {
            Assert.True(Poll.Until(() => Volatile.Read(ref sending) == Clients), "the origin did not answer every request");
            // Give every relay time to take in what its client's socket lets through.
            AssertHeapGrowsUnder40MB(memory, TimeSpan.FromSeconds(2));
            Assert.True(budget.Refused > 0, "no copy was refused: the test did not reach the budget");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            release.Set();
        }
        Assert.True(Poll.Until(() => budget.Held == 0), $"{budget.Held} bytes of the budget still held after every client left");
    }

    /// <summary>One GET for a distinct 8 MB URL on each of <see cref="Clients"/> connections, none of which reads.</summary>
    private static List<RawClient> AskWithoutReading(int port)
    {
        var clients = new List<RawClient>();
        for (int i = 0; i < Clients; i++)
        {
            var client = new RawClient(port);
            client.Send($"GET /big/{i} HTTP/1.1\r\nHost: h\r\n\r\n");
            clients.Add(client);
        }
        return clients;
    }

    /// <summary>After <paramref name="settle"/>, the heap's highest growth since <paramref name="memory"/> started is under 40 MB.</summary>
    private static void AssertHeapGrowsUnder40MB(MemoryWatch memory, TimeSpan settle)
    {
        var settled = Stopwatch.StartNew();
        Poll.Until(() => settled.Elapsed > settle);
        Assert.True(memory.HeapGrowth < 40L * 1024 * 1024, $"managed heap grew by {memory.HeapGrowth / (1024 * 1024)} MB");
    }
}
