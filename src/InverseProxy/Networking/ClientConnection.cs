using System.Net;
using System.Net.Sockets;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Proxy;

namespace InverseProxy.Networking;

/// <summary>
/// One client connection, served on its own thread: reads requests one after another (keep-alive, pipelining)
/// until the client closes, stays idle past connection_timeout, breaks the protocol, or the server drains.
/// </summary>
internal sealed class ClientConnection
{
    private const int IdleState = 0;
    private const int BusyState = 1;

    private readonly Socket _socket;
    private readonly ConnectionServices _services;
    private readonly ClientPeer _peer;
    private readonly Tls.TlsAcceptor? _tls; // set on the TLS port: the handshake comes before the first request
    private Tls.TlsSession? _tlsSession;    // the connection thread's, once the handshake is done
    private int _state; // IdleState or BusyState; written by the connection thread, read by shutdown
    private int _writeTimeoutMs; // the socket's own write timeout (connection_timeout); connection thread only
    private bool _resetOnClose;  // a response outran send_timeout: what is still queued for the client is dropped

    /// <summary>Made by the accept loop, which also makes everything else this connection needs (see <see cref="ConnectionBuffers"/>).</summary>
    public ClientConnection(long id, Socket socket, ConnectionServices services, Tls.TlsAcceptor? tls = null)
    {
        Id = id;
        _tls = tls;
        _socket = socket;
        _services = services;
        _peer = new ClientPeer((IPEndPoint)socket.RemoteEndPoint!);
        ThreadName = "conn-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public long Id { get; }

    /// <summary>The serving thread's name while it serves this connection, so a thread dump shows which client each serves.</summary>
    public string ThreadName { get; }

    public bool IsIdle => Volatile.Read(ref _state) == IdleState;

    /// <summary>Called by shutdown: an idle connection is closed now; a busy one finishes its request first.</summary>
    public void Drain()
    {
        if (IsIdle)
        {
            Abort();
        }
    }

    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the other side or by the connection thread.
        }
    }

    /// <summary>
    /// Answers <paramref name="answer"/> (a complete response) without a thread of its own, then closes: for a
    /// connection no thread could be started for. A client too slow to take the answer at once is just closed.
    /// </summary>
    public void Refuse(byte[] answer)
    {
        _services.Closed(this); // first, so the count is right by the time the client sees the close
        try
        {
            _socket.Blocking = false; // a full send buffer must not stall the caller
            _socket.Send(answer);
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client could not take even the answer; closing is all that is left.
        }
        _socket.Dispose();
    }

    /// <summary>The connection thread's body, on buffers the thread lends for this connection's life. Never throws.</summary>
    public void Run(ConnectionBuffers buffers)
    {
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        bool lingering = false;
        try
        {
            lingering = Serve(buffers);
        }
        catch (Exception e)
        {
            Log.ConnectionError(_services.Logger, Id, e);
        }
        finally
        {
            Close(lingering, buffers.Read);
            _services.Metrics.ConnectionThreadAllocated(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            _services.Closed(this);
        }
    }

    /// <summary>The request loop; returns true when the connection must be closed with a lingering read.</summary>
    private bool Serve(ConnectionBuffers buffers)
    {
        int idleMs = (int)Math.Min(int.MaxValue, _services.Options.ConnectionTimeout.TotalMilliseconds);
        _socket.NoDelay = true;
        _socket.ReceiveTimeout = idleMs;
        _socket.SendTimeout = idleMs;
        _writeTimeoutMs = idleMs;
        if (_tls is not null && !Handshake(_tls))
        {
            return false;
        }
        var session = buffers.Bind(_socket, _tlsSession, Id, _peer, _services.Limits.MaxHeadBytes);
        session.Writer.Date = _services.Date;
        return ServeRequests(session, buffers.Outcome, buffers.Scheduling);
    }

    /// <summary>The TLS handshake, bounded by tls_handshake_timeout; false (logged) when the connection must just close.</summary>
    private bool Handshake(Tls.TlsAcceptor tls)
    {
        var outcome = tls.Accept(_socket, out _tlsSession, out string? detail);
        switch (outcome)
        {
            case Tls.HandshakeOutcome.Done:
                return true;
            case Tls.HandshakeOutcome.TimedOut:
                Log.TlsHandshakeTimedOut(_services.Logger, Id, _peer.Remote, _services.Options.TlsHandshakeTimeout.TotalMilliseconds);
                return false;
            default:
                Log.TlsHandshakeFailed(_services.Logger, Id, _peer.Remote, outcome.ToString(), detail);
                return false;
        }
    }

    private bool ServeRequests(ClientSession session, RequestOutcome outcome, ConnectionThreadPolicy scheduling)
    {
        while (!_services.Stopping)
        {
            Volatile.Write(ref _state, IdleState);
            long consumedBefore = Consumed(session);
            if (!TryReadRequest(session, outcome, out var request))
            {
                return outcome.Status >= 400;
            }
            Volatile.Write(ref _state, BusyState);
            session.Draining = _services.Stopping;
            bool keepAlive = ServeOne(session, request!, outcome, consumedBefore);
            scheduling.AfterResponse(outcome.BodyBytes, _services.LiveCount);
            if (!keepAlive)
            {
                return true;
            }
        }
        return false;
    }

    private bool TryReadRequest(ClientSession session, RequestOutcome outcome, out RequestHead? request)
    {
        request = null;
        outcome.Reset();
        try
        {
            request = session.Reader.ReadRequestHead(_services.Limits, _services.Time, _services.Options.ConnectionTimeout);
            return request is not null;
        }
        catch (HttpParseException e)
        {
            RefuseMalformed(session, null, e, outcome, _services.Time.GetTimestamp());
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut && session.Reader.BufferedCount > 0)
        {
            // A head started but never finished within connection_timeout (RFC 9110 §15.5.9).
            outcome.Status = 408;
            LocalResponse.Write(session.Writer, 408, "request head not received in time", close: true);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // Idle timeout, reset or close between requests: nothing to answer.
        }
        return false;
    }

    /// <summary>
    /// Bytes of this connection the reader has handed out: its head and body bytes, not those read ahead of the next
    /// pipelined request. A request's bytes in are its head and body, as nginx's $request_length.
    /// </summary>
    private static long Consumed(ClientSession session) => session.Reader.BytesReceived - session.Reader.BufferedCount;

    /// <summary>Handles one request and logs it; returns false when the connection must close.</summary>
    /// <param name="consumedBefore"><see cref="Consumed"/> before its head was read.</param>
    private bool ServeOne(ClientSession session, RequestHead request, RequestOutcome outcome, long consumedBefore)
    {
        long started = _services.Time.GetTimestamp();
        long sentBefore = session.Writer.BytesSent;
        session.Writer.StartResponse(_services.Time, _services.Options.SendTimeout, _writeTimeoutMs);
        try
        {
            _services.Handler.Handle(session, request, outcome);
        }
        catch (HttpParseException e)
        {
            if (session.Writer.BytesSent == sentBefore)
            {
                RefuseMalformed(session, request, e, outcome, started);
                return false;
            }
            outcome.KeepAlive = false;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or BodyPumpException)
        {
            outcome.KeepAlive = false;
        }
        finally
        {
            session.Writer.EndResponse();
        }
        if (session.Writer.DeadlinePassed)
        {
            SendTimedOut(session);
            outcome.KeepAlive = false;
        }
        _services.Completed(session, request, outcome, started, Consumed(session) - consumedBefore);
        return outcome.KeepAlive;
    }

    /// <summary>send_timeout ran out on a client taking the response too slowly: it holds this thread no longer.</summary>
    private void SendTimedOut(ClientSession session)
    {
        _resetOnClose = true;
        _services.Metrics.SendTimedOut();
        Log.SendTimedOut(_services.Logger, Id, session.Remote, session.Writer.BytesSent, _services.Options.SendTimeout.TotalMilliseconds);
    }

    private void RefuseMalformed(ClientSession session, RequestHead? request, HttpParseException e, RequestOutcome outcome, long started)
    {
        int status = e.Error.ToStatusCode();
        if (e.Error == HttpParseError.BodyTooSlow)
        {
            _services.Metrics.SlowRequestBody();
            Log.BodyTooSlow(_services.Logger, Id, session.Remote);
        }
        else
        {
            Log.ClientProtocolError(_services.Logger, Id, session.Remote, e.Error, e.Detail);
        }
        outcome.Status = status;
        outcome.KeepAlive = false;
        try
        {
            LocalResponse.Write(session.Writer, status, $"{status} {HttpParseErrors.ReasonPhrase(status)}: {e.Error}", close: true);
        }
        catch (Exception io) when (io is SocketException or IOException or ObjectDisposedException)
        {
            // The client is gone; the log line above is all that is left to do.
        }
        _services.Completed(session, request, outcome, started, 0);
    }

    /// <summary>
    /// Closes the socket. After an error answer the client may still be sending; reading a little before closing
    /// keeps the kernel from resetting the connection and destroying the answer in flight.
    /// </summary>
    /// <param name="sink">Scratch space for the bytes read and dropped while lingering.</param>
    private void Close(bool lingering, byte[] sink)
    {
        try
        {
            if (_resetOnClose)
            {
                // Closed with a reset, as nginx's reset_timedout_connection: the kernel would otherwise go on
                // trickling the queued bytes to the slow client after the close.
                _socket.LingerState = new LingerOption(true, 0);
            }
            else if (lingering)
            {
                _socket.Shutdown(SocketShutdown.Send);
                _socket.ReceiveTimeout = 1000;
                int total = 0;
                while (total < 256 * 1024 && BlockingSocketIo.Receive(_socket, sink) is > 0 and var n)
                {
                    total += n;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client closed first, which is what lingering waits for.
        }
        _tlsSession?.Dispose();
        _socket.Dispose();
    }
}
