using System.Net;
using System.Net.Sockets;
using InverseProxy.Logging;
using InverseProxy.Proxy;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Networking;

/// <summary>
/// The accept loop, on its own thread. It never dies because of one connection: shutdown ends it quietly, running
/// out of descriptors backs off (100 ms doubling to 5 s), anything else is logged and skipped. Each accepted client
/// gets a dedicated named thread; beyond max_connections, or when no thread can be started for it, it gets 503 and is
/// closed.
/// </summary>
internal sealed class ConnectionListener : IDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ConnectionServices _services;
    private readonly Socket _listener;
    private readonly ManualResetEventSlim _stopped = new(false);
    private readonly ILogger _logger;
    private readonly ConnectionWorkers _workers;
    private readonly ThreadStartFailures _threadStartFailures;
    private readonly DatedAnswer _busy;
    private readonly DatedAnswer _noThread;
    private readonly Tls.TlsAcceptor? _tls;
    private Thread? _thread;
    private volatile bool _stopping;

    /// <param name="tls">Set for the TLS port: each connection starts with a handshake on its own thread.</param>
    public ConnectionListener(IPEndPoint endPoint, ConnectionServices services, Tls.TlsAcceptor? tls = null)
    {
        _tls = tls;
        _services = services;
        _logger = services.Logger;
        _threadStartFailures = new ThreadStartFailures(tls is null ? "client" : "tls", services.Metrics, services.Logger, services.Time);
        _busy = new DatedAnswer(503, "503 Service Unavailable: too many connections", services.Date);
        _noThread = new DatedAnswer(503, "503 Service Unavailable: no thread for this connection", services.Date);
        _workers = new ConnectionWorkers(services.Options.SpareThreads, services.Options.MaxConnections, services.Threads, RefuseNoThread, services.Time);
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.DualMode = true;
        }
        _listener.Bind(endPoint);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connection threads alive (serving or parked).</summary>
    public int Threads => _workers.Threads;

    /// <summary>Connection threads that have made their buffers.</summary>
    public int BuffersMade => _workers.BuffersMade;

    public void Start()
    {
        _listener.Listen(4096);
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = _tls is null ? "accept-loop" : "accept-tls" };
        _thread.Start();
    }

    /// <summary>Stops accepting; connections already accepted are not touched.</summary>
    public void Stop()
    {
        _stopping = true;
        _stopped.Set();
        _listener.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        Stop();
        _workers.Dispose();
        _stopped.Dispose();
    }

    private void AcceptLoop()
    {
        Log.AcceptPriority(_logger, ThreadScheduling.TryUseRealTimePolicy());
        var backoff = MinBackoff;
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
                backoff = MinBackoff;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (SocketException e) when (IsResourcePressure(e.SocketErrorCode))
            {
                Log.AcceptBackoff(_logger, backoff.TotalMilliseconds);
                _stopped.Wait(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            catch (Exception e)
            {
                Log.AcceptFailed(_logger, e);
                continue;
            }
            Dispatch(client);
        }
    }

    private void Dispatch(Socket client)
    {
        try
        {
            if (_services.LiveCount >= _services.Options.MaxConnections)
            {
                Reject(client);
                return;
            }
            var connection = new ClientConnection(_services.NextConnectionId(), client, _services, _tls);
            _services.Opened(connection);
            _workers.Run(connection);
        }
        catch (Exception e)
        {
            Log.AcceptFailed(_logger, e);
            client.Dispose();
        }
    }

    private void Reject(Socket client)
    {
        _services.Metrics.ConnectionRejected();
        Log.ConnectionRejectedLimit(_logger, client.RemoteEndPoint, _services.Options.MaxConnections);
        try
        {
            if (_tls is not null)
            {
                // Before a handshake there is no way to answer on the TLS port: the client just sees the close.
                client.Dispose();
                return;
            }
            client.Blocking = false; // a full send buffer must not stall the accept loop
            client.Send(_busy.Bytes);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The client could not take even the 503; closing is all that is left.
        }
        client.Dispose();
    }

    private void RefuseNoThread(ClientConnection connection, Exception e)
    {
        _threadStartFailures.Refused(e);
        connection.Refuse(_noThread.Bytes);
    }

    private static bool IsResourcePressure(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable or SocketError.ConnectionAborted;
}
