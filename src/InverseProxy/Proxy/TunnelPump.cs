using System.Buffers;
using System.Net.Sockets;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// Moves bytes both ways between two connected sockets on the calling thread, until both sides have closed their
/// sending side, either side breaks, or nothing moves for the idle timeout. One bounded buffer: what is read from one
/// side is written whole to the other before the next read, so a slow reader slows its writer (TCP backpressure).
/// A side's close of its sending half is passed on as shutdown(SHUT_WR) to the other (RFC 9110 §9.3.6: a tunnel
/// "closes" per direction).
/// </summary>
internal static class TunnelPump
{
    public const int BufferSize = 16 * 1024;

    /// <summary>
    /// Pumps between <paramref name="client"/> and <paramref name="upstream"/>. Bytes their readers already hold past the
    /// heads are passed on first. Never throws for a socket error: it ends the tunnel and is said in the result.
    /// </summary>
    public static TunnelTotals Run(MessageReader client, MessageReader upstream, TimeSpan idleTimeout)
    {
        var totals = new TunnelTotals();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            if (!PassBuffered(client, upstream.Socket, ref totals.Up) || !PassBuffered(upstream, client.Socket, ref totals.Down))
            {
                totals.End = TunnelEnd.Broken;
                return totals;
            }
            totals.End = Pump(client.Socket, upstream.Socket, buffer, idleTimeout, ref totals);
            return totals;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static TunnelEnd Pump(Socket client, Socket upstream, byte[] buffer, TimeSpan idleTimeout, ref TunnelTotals totals)
    {
        int idleMs = (int)Math.Min(int.MaxValue, idleTimeout.TotalMilliseconds);
        bool clientOpen = true;
        bool upstreamOpen = true;
        try
        {
            while (clientOpen || upstreamOpen)
            {
                var ready = SocketReadiness.Wait(clientOpen ? client : null, upstreamOpen ? upstream : null, idleMs);
                if (ready == Readiness.None)
                {
                    return TunnelEnd.Idle;
                }
                if ((ready & Readiness.First) != 0 && !Move(client, upstream, buffer, ref totals.Up))
                {
                    clientOpen = false;
                }
                if ((ready & Readiness.Second) != 0 && !Move(upstream, client, buffer, ref totals.Down))
                {
                    upstreamOpen = false;
                }
            }
            return TunnelEnd.Closed;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return TunnelEnd.Broken;
        }
    }

    /// <summary>One read from <paramref name="from"/> written whole to <paramref name="to"/>; false at its end of stream, after passing the close on.</summary>
    private static bool Move(Socket from, Socket to, byte[] buffer, ref long moved)
    {
        int n = BlockingSocketIo.Receive(from, buffer);
        if (n == 0)
        {
            to.Shutdown(SocketShutdown.Send);
            return false;
        }
        SendAll(to, buffer.AsSpan(0, n));
        moved += n;
        return true;
    }

    private static bool PassBuffered(MessageReader from, Socket to, ref long moved)
    {
        int count = from.BufferedCount;
        if (count == 0)
        {
            return true;
        }
        try
        {
            SendAll(to, from.Buffered);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
        from.Consume(count);
        moved += count;
        return true;
    }

    private static void SendAll(Socket to, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = BlockingSocketIo.Send(to, data, default, default);
            data = data[sent..];
        }
    }
}
