using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>
/// Seeded mutations of the malformed cases and of valid requests, each pipelined between two valid requests on one
/// connection to the real proxy process. Every valid request has a path of its own, which the origin echoes: an
/// answer echoing any other path, or out of order, is a desync. A fixed seed and case count keep it reproducible.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class PipelineFuzzTests
{
    private const int Seed = 7230;
    private const int Cases = 300;
    private const int WarmUpCases = 30;

    private static readonly string[] Malformed = MalformedRequestCases.All.Select(row => (string)row[1]).ToArray();
    private static readonly byte[] Interesting = "\r\n :;\t\0,=\"0123456789abcdefxX-/\u007f\u00ff"u8.ToArray();

    [Fact]
    public void MutatedRequests_PipelinedBetweenValidOnes_NeverDesyncCrashOrGrow()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("echo " + r.Target, ("Cache-Control", "no-store")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("fuzz"),
            $"targets = 127.0.0.1:{origin.Port}",
            "connection_timeout = 2s",
            $"max_request_line = {MalformedRequestCases.MaxRequestLine}",
            $"max_header_bytes = {MalformedRequestCases.MaxHeaderBytes}",
            $"max_header_count = {MalformedRequestCases.MaxHeaderCount}",
            $"max_body_size = {MalformedRequestCases.MaxBody}");
        var random = new Random(Seed);
        long rssBefore = 0;
        var sentMutants = new HashSet<string>();

        for (int i = 0; i < Cases; i++)
        {
            if (i == WarmUpCases)
            {
                rssBefore = ResidentBytes(proxy.Pid);
            }
            string first = $"/fuzz/{i}/first";
            string last = $"/fuzz/{i}/last";
            string mutant = $"/fuzz/{i}/m{random.Next():x8}"; // a token a mutation cannot turn into another case's
            var (mutated, description) = Mutate(random, mutant);
            var plan = Concat(Valid(first), mutated, Valid(last));

            var echoed = Exchange(proxy.Port, plan, out bool hung);

            Assert.False(hung, $"case {i} ({description}): the proxy neither answered nor closed");
            Assert.True(echoed.Count > 0 && echoed[0] == first, $"case {i} ({description}): first answer echoed [{string.Join(", ", echoed)}]");
            // Answers in the order sent: first, perhaps the mutant (whose path a mutation may have changed, but never
            // into another request's), then last. Another case's path here would be a response meant for another client.
            int at = -1;
            foreach (string path in echoed)
            {
                int index = path == first ? 0 : path == last ? 2 : 1;
                Assert.True(index > at && (index != 1 || !IsAnotherRequests(path, sentMutants)), $"case {i} ({description}): answers echoed [{string.Join(", ", echoed)}]");
                at = index;
            }
            sentMutants.Add(mutant);
            Assert.False(proxy.HasExited, $"case {i} ({description}): the proxy exited");
            Assert.Equal([$"/live/{i}"], Exchange(proxy.Port, Valid($"/live/{i}"), out _));
        }

        long rssAfter = ResidentBytes(proxy.Pid);
        // Generous: a leak of a buffer or thread per connection over 270 cases and 540 connections would exceed it.
        Assert.True(rssAfter <= rssBefore + (64L << 20), $"VmRSS {rssBefore >> 10} kB -> {rssAfter >> 10} kB");
    }

    /// <summary>The path of a request of another case: a first, last or liveness request, or an earlier mutant.</summary>
    private static bool IsAnotherRequests(string path, HashSet<string> earlierMutants) =>
        System.Text.RegularExpressions.Regex.IsMatch(path, @"^/(fuzz/\d+/(first|last)|live/\d+)$") || earlierMutants.Contains(path);

    private static byte[] Valid(string path) => Encoding.Latin1.GetBytes($"GET {path} HTTP/1.1\r\nHost: h\r\n\r\n");

    /// <summary>A malformed case or a valid request (with <paramref name="path"/>), changed in 1 to 3 places.</summary>
    private static (byte[] Bytes, string Description) Mutate(Random random, string path)
    {
        string baseText;
        string description;
        if (random.Next(2) == 0)
        {
            int index = random.Next(Malformed.Length);
            baseText = Malformed[index];
            description = $"malformed #{index}";
        }
        else
        {
            int shape = random.Next(4);
            baseText = shape switch
            {
                0 => $"POST {path} HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
                1 => $"PUT {path} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n",
                2 => $"GET {path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                _ => $"DELETE {path} HTTP/1.1\r\nHost: h\r\nX-A: b, c\r\n\r\n",
            };
            description = $"valid shape {shape}";
        }
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(baseText));
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            int kind = random.Next(5);
            switch (kind)
            {
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    int length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
            description += $", op {kind} at {at}";
        }
        return (bytes.ToArray(), description);
    }

    /// <summary>
    /// Sends <paramref name="plan"/>, half-closes, and reads answers until the proxy closes; returns the paths the
    /// echoed answers name. <paramref name="hung"/> when the proxy neither answered nor closed in time.
    /// </summary>
    private static List<string> Exchange(int port, byte[] plan, out bool hung)
    {
        hung = false;
        var echoed = new List<string>();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        try
        {
            socket.Send(plan);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.TimedOut)
        {
            // Refused part-way and closed: the answers already sent are still read.
        }
        var reader = new WireReader(socket);
        try
        {
            while (reader.ReadHead() is { } head)
            {
                int status = int.Parse(head.startLine.Split(' ')[1]);
                var (body, _) = reader.ReadBody(head.headers, noBody: status is 204 or 304 or < 200, untilCloseIfUnframed: true);
                string text = Encoding.Latin1.GetString(body);
                if (status == 200 && text.StartsWith("echo ", StringComparison.Ordinal))
                {
                    echoed.Add(text["echo ".Length..]);
                }
            }
        }
        catch (SocketException e)
        {
            hung = e.SocketErrorCode == SocketError.TimedOut;
        }
        return echoed;
    }

    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
