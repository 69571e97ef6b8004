using System.Net;
using System.Net.Sockets;

namespace InverseProxy.Upstream;

/// <summary>
/// A TCP connect bounded by a timeout that leaves the socket in plain blocking mode. Socket.ConnectAsync would
/// switch it for good to the runtime's emulated blocking I/O, which routes every later Send/Receive through the
/// epoll thread and the thread pool: two extra thread hand-offs per read on the request path.
/// </summary>
internal static class BlockingConnect
{
    /// <summary>
    /// Connects to <paramref name="target"/>: its IP literal, parsed once, or the first address its name resolves to
    /// that accepts. Throws SocketException or TimeoutException.
    /// </summary>
    public static Socket Open(UpstreamTarget target, TimeSpan timeout) =>
        target.Literal is { } literal ? Open(literal, timeout) : Open(target.EndPoint, timeout);

    private static Socket Open(DnsEndPoint endPoint, TimeSpan timeout)
    {
        var addresses = Dns.GetHostAddresses(endPoint.Host);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return Open(new IPEndPoint(address, endPoint.Port), timeout);
            }
            catch (SocketException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    private static Socket Open(IPEndPoint endPoint, TimeSpan timeout)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Linux bounds a blocking connect by SO_SNDTIMEO; the socket never leaves blocking mode.
            socket.SendTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            socket.Connect(endPoint);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.InProgress or SocketError.WouldBlock or SocketError.TimedOut)
        {
            socket.Dispose();
            throw new TimeoutException($"connect to {endPoint} timed out after {timeout.TotalMilliseconds:0} ms");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
