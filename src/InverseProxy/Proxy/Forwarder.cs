using System.Net.Sockets;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Networking;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// Sends one request to a target and reads its final response head. Chooses targets round-robin, retries once on
/// the next target when that is safe, and quietly replaces a pooled connection the target had already closed.
/// </summary>
internal sealed class Forwarder
{
    private readonly UpstreamPool _pool;
    private readonly ILogger _logger;

    public Forwarder(UpstreamPool pool, ILogger logger)
    {
        _pool = pool;
        _logger = logger;
    }

    public UpstreamPool Pool => _pool;

    /// <summary>
    /// Ends the use of a connection after a response: back to the pool only when the body was read to its end and
    /// the target keeps the connection open; closed otherwise. Whether the target keeps it open was recorded from its
    /// own head when that was read (see <see cref="ReadResponseHead"/>): <paramref name="response"/>'s fields may have
    /// been rewritten for the client since, Connection among them. The response head belongs to the calling thread's
    /// upstream reader, which the next exchange refills: release last, and read nothing of the connection after.
    /// </summary>
    public void Release(UpstreamConnection connection, ResponseHead response, BodyFraming framing, bool bodyComplete)
    {
        if (bodyComplete && connection.TargetKeepsOpen && framing.Kind != BodyKind.CloseDelimited)
        {
            _pool.Return(connection);
        }
        else
        {
            UpstreamPool.Discard(connection);
        }
    }

    /// <summary>Whether the target keeps the connection open after <paramref name="response"/>, from its head as sent.</summary>
    private static bool TargetKeepsOpen(ResponseHead response)
    {
        var headers = response.Headers;
        bool keepAlive = response.Version == HttpVersion.Http11
            ? !HopByHopHeaders.ConnectionHasToken(headers, "close")
            : HopByHopHeaders.ConnectionHasToken(headers, "keep-alive");
        // RFC 9112 §6.3: a response framed by both Transfer-Encoding and Content-Length is read by the former but
        // ought to be handled as an error, so its connection is not trusted with another request.
        return keepAlive && !(headers.Contains("Transfer-Encoding") && headers.Contains("Content-Length"));
    }

    /// <summary>
    /// Forwards <paramref name="head"/> with <paramref name="body"/> to one of <paramref name="targets"/>, under the
    /// request's settings snapshot <paramref name="options"/>. On success the caller owns the connection and must read
    /// the response body, then Return or Discard it. The connection reads and writes through <paramref name="io"/>,
    /// which the calling thread keeps for its exchanges.
    /// </summary>
    public ForwardResult Forward(RequestHead head, RequestBody body, UpstreamIo io, RoundRobinSelector targets, ProxyOptions options, InterimRelay? interim = null)
    {
        bool idempotent = IsIdempotent(head.Method);
        UpstreamTarget? previous = null;
        ForwardResult last = ForwardResult.Failed(ForwardError.ConnectFailed, "no target tried");
        // At most one retry, and only on another target: the same one again would double the wait for nothing.
        // Replacing a stale pooled connection on the same target does not count as a retry.
        int attempts = targets.Targets.Count > 1 ? 2 : 1;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            var target = targets.Next(previous);
            if (previous is not null)
            {
                Log.RetryingOnNextTarget(_logger, head.Method, previous.Name, target.Name);
            }
            last = ForwardTo(target, head, body, idempotent, io, options, interim);
            if (last.Succeeded || !CanRetry(last.Error, body, idempotent))
            {
                return last;
            }
            previous = target;
        }
        return last;
    }

    private static bool CanRetry(ForwardError error, RequestBody body, bool idempotent)
    {
        if (error == ForwardError.ClientGone || body.Started)
        {
            return false;
        }
        // Nothing reached the target when the connect failed; otherwise only idempotent requests go again.
        return error is ForwardError.ConnectFailed or ForwardError.ConnectTimeout || (idempotent && body.IsReplayable);
    }

    private ForwardResult ForwardTo(UpstreamTarget target, RequestHead head, RequestBody body, bool idempotent, UpstreamIo io, ProxyOptions options, InterimRelay? interim)
    {
        target.RecordRequest();
        if (body.IsStreamedChunked && target.SpeaksHttp10)
        {
            // RFC 9112 §6.1: an HTTP/1.0 recipient cannot read chunked; a body too large to buffer has no length to send.
            return ForwardResult.Failed(ForwardError.LengthRequired, target.Name);
        }
        var pooled = _pool.RentIdle(target, io);
        if (pooled is not null)
        {
            var result = Exchange(pooled, head, body, idempotent, options, interim, out bool stale);
            // A pooled connection the target closed while idle: try a fresh one, the request never arrived.
            if (!stale || !body.IsReplayable)
            {
                return result;
            }
        }
        UpstreamConnection fresh;
        try
        {
            fresh = _pool.Connect(target, io);
        }
        catch (TimeoutException e)
        {
            HoldDown(target, e.Message, options);
            return ForwardResult.Failed(ForwardError.ConnectTimeout, $"{target.Name}: {e.Message}");
        }
        catch (SocketException e)
        {
            HoldDown(target, e.SocketErrorCode.ToString(), options);
            return ForwardResult.Failed(ForwardError.ConnectFailed, $"{target.Name}: {e.SocketErrorCode}");
        }
        int readTimeoutMs = (int)Math.Min(int.MaxValue, options.UpstreamReadTimeout.TotalMilliseconds);
        fresh.Socket.ReceiveTimeout = readTimeoutMs;
        fresh.Socket.SendTimeout = readTimeoutMs;
        var outcome = Exchange(fresh, head, body, idempotent, options, interim, out _);
        if (outcome.Succeeded && target.MarkUp())
        {
            Log.TargetRecovered(_logger, target.Name);
        }
        return outcome;
    }

    /// <summary>One request/response-head exchange on <paramref name="connection"/>; disposes it on failure.</summary>
    private ForwardResult Exchange(UpstreamConnection connection, RequestHead head, RequestBody body, bool idempotent, ProxyOptions options, InterimRelay? interim, out bool stale)
    {
        stale = false;
        bool reused = connection.Uses > 0;
        connection.Uses++;
        long receivedBefore = connection.Reader.BytesReceived;
        var writer = connection.Writer;
        try
        {
            SendRequest(writer, head, body, connection.Target.SpeaksHttp10);
        }
        catch (SocketException e) when (reused && !body.Started)
        {
            stale = true;
            UpstreamPool.Discard(connection);
            return ForwardResult.Failed(ForwardError.SendFailed, e.SocketErrorCode.ToString());
        }
        catch (SocketException e)
        {
            UpstreamPool.Discard(connection);
            return ForwardResult.Failed(ForwardError.SendFailed, $"{connection.Target.Name}: {e.SocketErrorCode}");
        }
        catch (BodyPumpException e) when (e.Side == PumpSide.Source)
        {
            UpstreamPool.Discard(connection);
            return ForwardResult.Failed(ForwardError.ClientGone, e.Message);
        }
        catch (BodyPumpException e)
        {
            UpstreamPool.Discard(connection);
            return ForwardResult.Failed(ForwardError.SendFailed, $"{connection.Target.Name}: {e.Message}");
        }
        catch (HttpParseException)
        {
            // The client's body was malformed part-way; the target saw a torn request and must not be reused.
            UpstreamPool.Discard(connection);
            throw;
        }
        ThreadScheduling.YieldForAnswer();
        // A close with no byte of the answer may also come after the target took the request: only replay what is safe.
        return ReadResponseHead(connection, reused && idempotent, receivedBefore, options, interim, out stale);
    }

    private ForwardResult ReadResponseHead(UpstreamConnection connection, bool replayIfStale, long receivedBefore, ProxyOptions options, InterimRelay? interim, out bool stale)
    {
        stale = false;
        var reader = connection.Reader;
        var limits = new HttpLimits(options.MaxRequestLineBytes, options.MaxHeaderBytes, options.MaxHeaderCount);
        try
        {
            var response = reader.ReadResponseHead(limits);
            // Interim responses go to the client as they come (103 Early Hints); they are never the cached answer.
            while (response.StatusCode is >= 100 and < 200 && response.StatusCode != 101)
            {
                interim?.Relay(response);
                response = reader.ReadResponseHead(limits);
            }
            // Decided now, from the target's own fields: the relay strips hop-by-hop fields from this head in place.
            connection.TargetKeepsOpen = TargetKeepsOpen(response);
            connection.Target.RecordVersion(response.Version);
            return new ForwardResult(ForwardError.None, connection, response, null);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            UpstreamPool.Discard(connection);
            HoldDown(connection.Target, "response timed out", options);
            Log.UpstreamTimeout(_logger, connection.Target.Name);
            return ForwardResult.Failed(ForwardError.ResponseTimeout, connection.Target.Name);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            stale = replayIfStale && reader.BytesReceived == receivedBefore;
            UpstreamPool.Discard(connection);
            return ForwardResult.Failed(ForwardError.TargetClosed, $"{connection.Target.Name}: {e.Message}");
        }
        catch (HttpParseException e)
        {
            UpstreamPool.Discard(connection);
            Log.UpstreamProtocolError(_logger, connection.Target.Name, e.Message);
            return ForwardResult.Failed(ForwardError.BackendProtocolError, $"{connection.Target.Name}: {e.Error}");
        }
    }

    private static void SendRequest(SocketWriter writer, RequestHead head, RequestBody body, bool targetSpeaksHttp10)
    {
        body.Frame(head.Headers, targetSpeaksHttp10);
        HeadWriter.WriteRequestHead(head, writer.Head);
        if (body.IsReplayable && body.SendsChunked(targetSpeaksHttp10))
        {
            // A buffered chunked body with trailers worth keeping: one chunk, then the trailers.
            writer.SendHead();
            writer.SendChunk(body.Buffered);
            writer.SendLastChunk(body.Trailers);
            return;
        }
        if (!body.HasBody || body.IsReplayable)
        {
            writer.SendHead(body.Buffered);
            return;
        }
        writer.SendHead();
        BodyPump.Copy(body, writer);
    }

    private void HoldDown(UpstreamTarget target, string reason, ProxyOptions options)
    {
        Log.TargetConnectFailed(_logger, target.Name, reason);
        var holdDown = options.UpstreamHoldDown;
        if (target.MarkDown(holdDown))
        {
            Log.TargetHeldDown(_logger, target.Name, holdDown.TotalSeconds);
        }
    }

    // Deliberately narrower than RFC 9110 §9.2.2: a PUT or DELETE may have been applied before the target failed.
    private static bool IsIdempotent(string method) => method is "GET" or "HEAD" or "OPTIONS" or "TRACE";
}
