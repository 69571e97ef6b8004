using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using InverseProxy.Configuration;

namespace InverseProxy.Upstream;

/// <summary>
/// Keep-alive connections to the targets, shared by all client threads. Three verbs: <see cref="Rent"/>,
/// <see cref="Return"/>, <see cref="Discard"/>. Idle connections expire after the idle timeout and each target
/// keeps at most <c>maxIdlePerTarget</c> of them, in lock stripes (<see cref="IdleConnections"/>).
/// </summary>
internal sealed class UpstreamPool : IDisposable
{
    private const int StripesPerTarget = 32;

    private readonly ConcurrentDictionary<UpstreamTarget, IdleConnections> _idle = new();
    private readonly TimeProvider _time;
    private readonly Func<ProxyOptions> _options; // the settings in force: read on each use so a reload applies
    private long _connectsOpened;
    private long _reuses;
    private volatile bool _disposed;

    public UpstreamPool(Func<ProxyOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public long ConnectionsOpened => Interlocked.Read(ref _connectsOpened);

    public long Reuses => Interlocked.Read(ref _reuses);

    /// <summary>Idle connections kept, over all targets.</summary>
    public int IdleCount => _idle.Values.Sum(idle => idle.Count);

    /// <summary>An idle pooled connection that still looks alive, bound to <paramref name="io"/>; or null.</summary>
    public UpstreamConnection? RentIdle(UpstreamTarget target, UpstreamIo io)
    {
        if (!_idle.TryGetValue(target, out var idle))
        {
            return null;
        }
        long now = _time.GetUtcNow().UtcTicks;
        while (idle.TryPop(io.Stripe) is { } candidate)
        {
            if (now - candidate.IdleSinceUtcTicks < _options().UpstreamIdleTimeout.Ticks && candidate.LooksAlive())
            {
                Interlocked.Increment(ref _reuses);
                candidate.Bind(io);
                return candidate;
            }
            candidate.Dispose();
        }
        return null;
    }

    /// <summary>A pooled connection if one is idle, else a new one. Throws <see cref="SocketException"/> or <see cref="TimeoutException"/>.</summary>
    public UpstreamConnection Rent(UpstreamTarget target, UpstreamIo io) => RentIdle(target, io) ?? Connect(target, io);

    /// <summary>Opens a new connection bound to <paramref name="io"/>, bounded by the connect timeout.</summary>
    public UpstreamConnection Connect(UpstreamTarget target, UpstreamIo io)
    {
        var socket = BlockingConnect.Open(target, _options().UpstreamConnectTimeout);
        Interlocked.Increment(ref _connectsOpened);
        return new UpstreamConnection(target, socket, _options().MaxHeaderBytes, io);
    }

    /// <summary>Gives a connection whose last response was fully read back to the pool.</summary>
    public void Return(UpstreamConnection connection)
    {
        // Bytes past the response answer nothing this proxy sent: the connection is out of step with its target.
        if (!connection.InStep || connection.Target.Retired)
        {
            connection.Dispose();
            return;
        }
        int stripe = connection.Stripe;
        connection.Unbind();
        connection.IdleSinceUtcTicks = _time.GetUtcNow().UtcTicks;
        var idle = _idle.GetOrAdd(connection.Target, static (_, stripes) => new IdleConnections(stripes), StripesPerTarget);
        if (_disposed || !idle.TryPush(connection, stripe, _options().UpstreamMaxIdlePerTarget))
        {
            connection.Dispose();
        }
        else if (_disposed)
        {
            CloseAll(); // disposed while this one went in
        }
    }

    /// <summary>Closes the idle connections of a target no longer in use (removed by a reload, or a dynamic target evicted).</summary>
    public void Forget(UpstreamTarget target)
    {
        target.Retired = true;
        if (_idle.TryRemove(target, out var idle))
        {
            foreach (var connection in idle.TakeAll())
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>Closes a connection that must not be reused (error, close-delimited body, Connection: close).</summary>
    public static void Discard(UpstreamConnection connection) => connection.Dispose();

    public void Dispose()
    {
        _disposed = true;
        CloseAll();
    }

    private void CloseAll()
    {
        foreach (var idle in _idle.Values)
        {
            foreach (var connection in idle.TakeAll())
            {
                connection.Dispose();
            }
        }
    }
}
