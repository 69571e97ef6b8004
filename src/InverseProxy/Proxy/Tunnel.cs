using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// The tunnel stage: CONNECT to an allowed destination is answered 200 and tunnelled; a WebSocket upgrade is forwarded with its Upgrade fields and, when the target answers 101, the
/// connection becomes a byte tunnel (<see cref="TunnelPump"/>) on this same thread until either side closes. Nothing
/// here is looked up in or stored to the cache. Shared by all client threads: holds no per-request state.
/// </summary>
internal sealed class Tunnel
{
    private readonly Forwarder _forwarder;
    private readonly ResponseRelay _relay;
    private readonly LocalAnswers _answers;
    private readonly TunnelCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public Tunnel(Forwarder forwarder, ResponseRelay relay, LocalAnswers answers, TunnelCounters counters, ILogger logger, TimeProvider time)
    {
        _forwarder = forwarder;
        _relay = relay;
        _answers = answers;
        _counters = counters;
        _logger = logger;
        _time = time;
    }

    public TunnelResult Serve(ClientSession client, ProxyRequest request, RequestOutcome outcome)
    {
        if (request.Method == "CONNECT")
        {
            // Only the forward site takes CONNECT past the local answers (connect on); see ForwardRoute.
            return Connect(client, request, outcome);
        }
        if (request.Site?.Settings.WebSocket != true || !WebSocketUpgrade.IsRequested(request.Client))
        {
            return TunnelResult.NotATunnel;
        }
        var options = request.Config.Options;
        var upstream = UpstreamRequest.Build(request, client.RemoteText, client.UpstreamHead);
        var result = _forwarder.Forward(upstream, RequestBody.Empty, client.Upstream, request.Targets!, options);
        if (!result.Succeeded)
        {
            _answers.ForwardFailed(client, request, result, outcome);
            return TunnelResult.Answered;
        }
        if (result.Response!.StatusCode != 101)
        {
            // The target declined the upgrade (RFC 6455 §4.1): its answer is an ordinary response.
            _relay.Relay(client, request, result, outcome);
            return TunnelResult.Answered;
        }
        var connection = result.Connection!;
        outcome.Target = connection.Target.Name;
        outcome.KeepAlive = false;
        outcome.Status = 101;
        try
        {
            SwitchProtocols(client, result.Response);
            Run(client, connection, "websocket", options.TunnelIdleTimeout, outcome);
        }
        finally
        {
            UpstreamPool.Discard(connection);
        }
        return TunnelResult.Tunnelled;
    }

    /// <summary>
    /// RFC 9110 §9.3.6: connects to the destination, answers 200 (no framing fields: none may be sent with a 2xx to
    /// CONNECT), then tunnels. A refused connect is 502, one that does not complete in time 504.
    /// </summary>
    private TunnelResult Connect(ClientSession client, ProxyRequest request, RequestOutcome outcome)
    {
        var options = request.Config.Options;
        var target = request.Targets!.Next(null);
        target.RecordRequest();
        UpstreamConnection connection;
        try
        {
            connection = _forwarder.Pool.Connect(target, client.Upstream);
        }
        catch (TimeoutException e)
        {
            _answers.ForwardFailed(client, request, ForwardResult.Failed(ForwardError.ConnectTimeout, $"{target.Name}: {e.Message}"), outcome);
            return TunnelResult.Answered;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            _answers.ForwardFailed(client, request, ForwardResult.Failed(ForwardError.ConnectFailed, $"{target.Name}: {e.SocketErrorCode}"), outcome);
            return TunnelResult.Answered;
        }
        connection.Socket.SendTimeout = (int)Math.Min(int.MaxValue, options.UpstreamReadTimeout.TotalMilliseconds);
        outcome.Target = target.Name;
        outcome.KeepAlive = false;
        outcome.Status = 200;
        try
        {
            client.Writer.Send("HTTP/1.1 200 Connection Established\r\n\r\n"u8);
            Run(client, connection, "connect", options.TunnelIdleTimeout, outcome);
        }
        finally
        {
            UpstreamPool.Discard(connection);
        }
        return TunnelResult.Tunnelled;
    }

    /// <summary>
    /// Pumps between the client and an upstream connection until the tunnel ends, counts and logs it. Used by every
    /// kind of tunnel; the caller has sent the client its answer and disposes the upstream connection.
    /// </summary>
    public void Run(ClientSession client, UpstreamConnection connection, string kind, TimeSpan idleTimeout, RequestOutcome outcome)
    {
        long started = _time.GetTimestamp();
        _counters.TunnelOpened();
        var totals = TunnelPump.Run(client.Reader, connection.Reader, idleTimeout);
        _counters.TunnelClosed(totals);
        outcome.BodyBytes = totals.Down;
        long durationMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        Log.TunnelClosed(_logger, kind, client.RemoteText, connection.Target.Name, totals.End, durationMs, totals.Up, totals.Down);
    }

    /// <summary>The target's 101 for the client: its fields without the hop-by-hop ones, the upgrade named again, and Via.</summary>
    private static void SwitchProtocols(ClientSession client, ResponseHead response)
    {
        var headers = response.Headers.Clone();
        HopByHopHeaders.Strip(headers);
        WebSocketUpgrade.AddFields(headers);
        UpstreamRequest.AppendVia(headers, HttpVersion.Http11);
        HeadWriter.WriteResponseHead(HttpVersion.Http11, 101, response.Reason, headers, client.Writer.Head);
        client.Writer.SendHead();
    }
}
