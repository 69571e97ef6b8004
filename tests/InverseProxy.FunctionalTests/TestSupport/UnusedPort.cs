using System.Net;
using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

internal static class UnusedPort
{
    // Ports below the kernel's ephemeral range: connect() and bind(0) never hand these out, so a port found here and
    // released is not taken meanwhile by some test's outgoing connection or listener (a port from bind(0) was, once in
    // a while, and the proxy then failed to start with "Address already in use"). Handed out in turn, so this process
    // never gives the same one twice while others are free.
    private static readonly (int Low, int Count) s_range = BelowEphemeral();
    private static int s_next = Random.Shared.Next(s_range.Count);

    /// <summary>A loopback port nothing is bound to, outside the range the kernel picks ports from.</summary>
    public static int Find()
    {
        for (int attempt = 0; attempt < s_range.Count; attempt++)
        {
            int port = s_range.Low + (int)((uint)Interlocked.Increment(ref s_next) % (uint)s_range.Count);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // Bound by something else, or still in TIME_WAIT: the next one.
            }
        }
        throw new InvalidOperationException($"no free loopback port in {s_range.Low}-{s_range.Low + s_range.Count - 1}");
    }

    private static (int Low, int Count) BelowEphemeral()
    {
        int ephemeralLow = 32768;
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Linux's default range starts at 32768.
        }
        // An unusual range starting lower leaves 10000-21999, which may then overlap it.
        return (ephemeralLow > 22_000 ? ephemeralLow - 12_000 : 10_000, 12_000);
    }

    /// <summary>True if a TCP connect to 127.0.0.1:<paramref name="port"/> is refused.</summary>
    public static bool Refuses(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }
}
