using System.Net;
using System.Net.Sockets;
using InverseProxy.Configuration;

namespace InverseProxy.Upstream;

/// <summary>
/// Keep-alive connections to the targets, shared by all client threads. Three verbs: <see cref="Rent"/>,
/// <see cref="Return"/>, <see cref="Discard"/>. Idle connections expire after the idle timeout and each target
/// keeps at most <c>maxIdlePerTarget</c> of them.
/// </summary>
internal sealed class UpstreamPool : IDisposable
{
    private readonly Dictionary<UpstreamTarget, Stack<UpstreamConnection>> _idle = new();
    private readonly object _lock = new(); // guards _idle and every stack in it
    private readonly TimeProvider _time;
    private readonly ProxyOptions _options; // live settings: read on each use so a reload applies
    private long _connectsOpened;
    private long _reuses;
    private bool _disposed; // guarded by _lock

    public UpstreamPool(ProxyOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public long ConnectionsOpened => Interlocked.Read(ref _connectsOpened);

    public long Reuses => Interlocked.Read(ref _reuses);

    /// <summary>An idle pooled connection that still looks alive, bound to <paramref name="io"/>; or null.</summary>
    public UpstreamConnection? RentIdle(UpstreamTarget target, UpstreamIo io)
    {
        long now = _time.GetUtcNow().UtcTicks;
        while (true)
        {
            UpstreamConnection? candidate;
            lock (_lock)
            {
                if (!_idle.TryGetValue(target, out var stack) || !stack.TryPop(out candidate))
                {
                    return null;
                }
            }
            if (now - candidate.IdleSinceUtcTicks < _options.UpstreamIdleTimeout.Ticks && candidate.LooksAlive())
            {
                Interlocked.Increment(ref _reuses);
                candidate.Bind(io);
                return candidate;
            }
            candidate.Dispose();
        }
    }

    /// <summary>A pooled connection if one is idle, else a new one. Throws <see cref="SocketException"/> or <see cref="TimeoutException"/>.</summary>
    public UpstreamConnection Rent(UpstreamTarget target, UpstreamIo io) => RentIdle(target, io) ?? Connect(target, io);

    /// <summary>Opens a new connection bound to <paramref name="io"/>, bounded by the connect timeout.</summary>
    public UpstreamConnection Connect(UpstreamTarget target, UpstreamIo io)
    {
        var timeout = _options.UpstreamConnectTimeout;
        var socket = target.Literal is { } literal
            ? BlockingConnect.Open(literal, timeout)
            : BlockingConnect.Open(target.EndPoint, timeout);
        Interlocked.Increment(ref _connectsOpened);
        return new UpstreamConnection(target, socket, _options.MaxHeaderBytes, io);
    }

    /// <summary>Gives a connection whose last response was fully read back to the pool.</summary>
    public void Return(UpstreamConnection connection)
    {
        // Bytes past the response answer nothing this proxy sent: the connection is out of step with its target.
        if (!connection.InStep)
        {
            connection.Dispose();
            return;
        }
        connection.Unbind();
        connection.IdleSinceUtcTicks = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (!_disposed)
            {
                if (!_idle.TryGetValue(connection.Target, out var stack))
                {
                    stack = new Stack<UpstreamConnection>();
                    _idle[connection.Target] = stack;
                }
                if (stack.Count < _options.UpstreamMaxIdlePerTarget)
                {
                    stack.Push(connection);
                    return;
                }
            }
        }
        connection.Dispose();
    }

    /// <summary>Closes a connection that must not be reused (error, close-delimited body, Connection: close).</summary>
    public static void Discard(UpstreamConnection connection) => connection.Dispose();

    public void Dispose()
    {
        List<UpstreamConnection> all;
        lock (_lock)
        {
            _disposed = true;
            all = _idle.Values.SelectMany(s => s).ToList();
            _idle.Clear();
        }
        foreach (var connection in all)
        {
            connection.Dispose();
        }
    }
}
