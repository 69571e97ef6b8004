using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

[Collection(RobustnessCollection.Name)]
public sealed class RobustnessTests
{
    private const int Seed = 9112;
    private const int RequestsPerRound = 1000;

    [Fact]
    public void RandomAndMalformedStream_TwoRounds_ProxyStillServesAndDoesNotLeak()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text($"ok {r.Target}", ("Cache-Control", "no-store")));
        using var proxy = ProxyInstance.Start(o =>
        {
            o.ConnectionTimeout = TimeSpan.FromSeconds(2);
            o.MaxRequestBodyBytes = 64 * 1024;
        }, origin.Port);

        int hungFirst = RunRound(proxy, Seed);
        var afterFirst = Measure(proxy);
        int hungSecond = RunRound(proxy, Seed + 1);
        var afterSecond = Measure(proxy);

        Assert.Equal(0, hungFirst + hungSecond);
        var statuses = proxy.Server.Metrics.StatusClasses();
        Assert.True(statuses["2xx"] > 0 && statuses["4xx"] > 0, string.Join(", ", statuses));
        using var client = new RawClient(proxy.Port);
        Assert.Equal("HTTP/1.1 200 OK", client.Exchange("GET /final HTTP/1.1\r\nHost: h\r\n\r\n").StartLine);
        // Generous bounds: a leak of one thread or buffer per connection would exceed them many times over.
        Assert.True(afterSecond.Threads <= afterFirst.Threads + 50, $"threads {afterFirst.Threads} -> {afterSecond.Threads}");
        Assert.True(afterSecond.Memory <= afterFirst.Memory + (64L << 20), $"memory {afterFirst.Memory} -> {afterSecond.Memory}");
    }

    /// <summary>Sends about <see cref="RequestsPerRound"/> generated requests over many connections; returns how many connections hung.</summary>
    private static int RunRound(ProxyInstance proxy, int seed)
    {
        int sent = 0;
        var plans = new List<byte[]>();
        var random = new RandomRequests(seed);
        while (sent < RequestsPerRound)
        {
            plans.Add(random.NextConnection(out int items));
            sent += items;
        }
        int hung = 0;
        Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = 8 }, plan =>
        {
            if (!Exchange(proxy.Port, plan))
            {
                Interlocked.Increment(ref hung);
            }
        });
        return hung;
    }

    /// <summary>Writes the bytes, half-closes, and reads until the proxy closes; false if it never does.</summary>
    private static bool Exchange(int port, byte[] plan)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        try
        {
            socket.Send(plan);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.TimedOut)
        {
            // The proxy refused part-way and closed: allowed.
        }
        var sink = new byte[16 * 1024];
        try
        {
            while (socket.Receive(sink) > 0)
            {
            }
            return true;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode != SocketError.TimedOut;
        }
    }

    private static (int Threads, long Memory) Measure(ProxyInstance proxy)
    {
        Assert.True(Poll.Until(() => proxy.Server.Metrics.ActiveConnections == 0, TimeSpan.FromSeconds(15)),
            $"{proxy.Server.Metrics.ActiveConnections} connections still open");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.Threads.Count, GC.GetTotalMemory(forceFullCollection: true));
    }
}
