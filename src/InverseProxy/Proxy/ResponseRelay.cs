using InverseProxy.Compression;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// Relays a target's response to the client: the body re-framed where the client needs it (chunked for HTTP/1.1
/// when the length is unknown, close-delimited for HTTP/1.0), copied into a <see cref="PendingStore"/> if given, and
/// the upstream connection returned to the pool only when its response was read to the end. The target's head is
/// never changed: the client's copy of the fields is made here, from the compression plan's head when there is one
/// (<see cref="RelayEncoded"/> encodes the body on the way).
/// </summary>
internal sealed partial class ResponseRelay
{
    private readonly Forwarder _forwarder;
    private readonly LocalAnswers _answers;
    private readonly ILogger _logger;

    public ResponseRelay(Forwarder forwarder, LocalAnswers answers, ILogger logger)
    {
        _forwarder = forwarder;
        _answers = answers;
        _logger = logger;
    }

    public RelayResult Relay(ClientSession client, ProxyRequest request, ForwardResult result, RequestOutcome outcome, CacheHeaders cacheHeaders = default, PendingStore? store = null, CompressionPlan? compression = null)
    {
        var connection = result.Connection!;
        var response = result.Response!;
        var head = request.Client;
        outcome.Target = connection.Target.Name;
        BodyFraming framing;
        try
        {
            framing = BodyFramingRules.ForResponse(head.Method, response);
        }
        catch (HttpParseException e)
        {
            return Fail(client, request, connection, outcome, ForwardError.BackendProtocolError, $"{connection.Target.Name}: {e.Error}");
        }
        // Codings other than chunked (e.g. "gzip, chunked") describe the body bytes themselves: they travel on with
        // it, which HTTP/1.0 cannot express, and such a body is not stored.
        string? codings = TransferCodings.OtherThanChunked(response.Headers);
        if (codings is not null)
        {
            if (head.Version == HttpVersion.Http10)
            {
                return Fail(client, request, connection, outcome, ForwardError.BackendProtocolError, $"{connection.Target.Name}: transfer coding '{codings}' for an HTTP/1.0 client");
            }
            store = null;
        }
        if (!TryReadSmallBody(connection, framing, out var failure))
        {
            Log.UpstreamBodyFailed(_logger, connection.Target.Name, failure!.Message);
            var error = failure is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut }
                ? ForwardError.ResponseTimeout
                : ForwardError.TargetClosed;
            outcome.KeepAlive = false;
            return Fail(client, request, connection, outcome, error, $"{connection.Target.Name}: {failure.Message}");
        }
        if (compression is { Encodes: true })
        {
            return RelayEncoded(client, request, connection, response, framing, outcome, cacheHeaders, store, compression);
        }
        bool chunkedOut = false;
        if (framing.Kind is BodyKind.Chunked or BodyKind.CloseDelimited)
        {
            chunkedOut = head.Version == HttpVersion.Http11;
            outcome.KeepAlive &= chunkedOut; // an HTTP/1.0 client learns the end of the body from the close
        }
        var headers = ClientHeaders(compression?.Head ?? response, framing, chunkedOut, outcome.KeepAlive, head.Version, cacheHeaders);
        if (codings is not null && chunkedOut)
        {
            headers.Set("Transfer-Encoding", codings + ", chunked");
        }
        client.Writer.Date?.AddIfMissing(headers);
        outcome.Status = response.StatusCode;
        HeadWriter.WriteResponseHead(HttpVersion.Http11, response.StatusCode, response.Reason, headers, client.Writer.Head);
        if (framing.Kind == BodyKind.ContentLength && connection.Reader.BufferedCount >= framing.Length)
        {
            return RelayBuffered(client, connection, response, framing, outcome, store);
        }
        return RelayStreamed(client, connection, response, framing, chunkedOut, outcome, store);
    }

    /// <summary>
    /// The client's copy of the target's fields: hop-by-hop ones removed, Via, framing, cache and connection fields
    /// added. RFC 9112 §6.3 item 3: a Content-Length sent beside Transfer-Encoding is wrong; it must not reach the client.
    /// </summary>
    private static HttpHeaders ClientHeaders(ResponseHead response, BodyFraming framing, bool chunkedOut, bool keepAlive, HttpVersion clientVersion, CacheHeaders cacheHeaders)
    {
        var headers = response.Headers.Clone();
        HopByHopHeaders.Strip(headers);
        if (framing.Kind is BodyKind.Chunked or BodyKind.CloseDelimited)
        {
            headers.Remove("Content-Length");
        }
        UpstreamRequest.AppendVia(headers, HttpVersion.Http11);
        if (chunkedOut)
        {
            headers.Add("Transfer-Encoding", "chunked");
        }
        cacheHeaders.AddTo(headers);
        if (!keepAlive)
        {
            headers.Add("Connection", "close");
        }
        else if (clientVersion == HttpVersion.Http10)
        {
            headers.Add("Connection", "keep-alive");
        }
        return headers;
    }

    private RelayResult RelayStreamed(ClientSession client, UpstreamConnection connection, ResponseHead response, BodyFraming framing, bool chunkedOut, RequestOutcome outcome, PendingStore? store)
    {
        // A body larger than the buffer is read in larger pieces; the thread keeps the grown buffer for later bodies.
        if (!FitsBuffer(framing, connection.Reader))
        {
            connection.Reader.EnsureCapacity(UpstreamIo.StreamingReadSize);
        }
        var source = new BodyReader(connection.Reader, framing);
        try
        {
            client.Writer.SendHead();
            outcome.BodyBytes = store is null
                ? BodyPump.Copy(source, client.Writer, chunkedOut)
                : BodyPump.Copy(source, client.Writer, chunkedOut, store.Capture.Append, store.Commit);
        }
        catch (Exception e) when (e is BodyPumpException or HttpParseException or IOException or System.Net.Sockets.SocketException)
        {
            // Either side broke mid-body: the client must see the connection close, not a short body taken as whole.
            UpstreamPool.Discard(connection);
            outcome.KeepAlive = false;
            outcome.BodyBytes = source.BytesRead;
            bool clientSide = e is BodyPumpException { Side: PumpSide.Sink };
            if (!clientSide)
            {
                Log.UpstreamBodyFailed(_logger, connection.Target.Name, e.Message);
            }
            return new RelayResult(clientSide ? RelayStatus.ClientGone : RelayStatus.TargetFailed, store?.Stored ?? false);
        }
        _forwarder.Release(connection, response, framing, source.IsComplete);
        return new RelayResult(RelayStatus.Completed, store?.Stored ?? false);
    }

    /// <summary>
    /// The common small response, already buffered whole behind its head: it is stored, then head and body leave in
    /// one write, and no body reader is made. The target's side is complete whatever the client does, so its
    /// connection is kept.
    /// </summary>
    private RelayResult RelayBuffered(ClientSession client, UpstreamConnection connection, ResponseHead response, BodyFraming framing, RequestOutcome outcome, PendingStore? store)
    {
        var whole = connection.Reader.BufferedMemory[..(int)framing.Length];
        var result = SendWhole(client, whole, outcome, store);
        connection.Reader.Consume(whole.Length);
        _forwarder.Release(connection, response, framing, bodyComplete: true);
        return result;
    }

    /// <summary>
    /// A small body that came apart from its head (nginx sends a file after its head, in a second segment) is read
    /// into the buffer before anything goes to the client: head and body then leave in one write, with no body reader
    /// made. False only if a read failed; a target closing early is left to the relay, which passes on what came.
    /// </summary>
    private static bool TryReadSmallBody(UpstreamConnection connection, BodyFraming framing, out Exception? failure)
    {
        failure = null;
        var reader = connection.Reader;
        if (!FitsBuffer(framing, reader))
        {
            return true;
        }
        try
        {
            while (reader.BufferedCount < framing.Length && reader.Fill() > 0)
            {
            }
            return true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            failure = e;
            return false;
        }
    }

    private static bool FitsBuffer(BodyFraming framing, MessageReader reader) =>
        framing.Kind == BodyKind.ContentLength && framing.Length <= reader.Capacity;

    /// <summary>Nothing was sent yet: the target's connection goes, and the client gets 502 or 504.</summary>
    private RelayResult Fail(ClientSession client, ProxyRequest request, UpstreamConnection connection, RequestOutcome outcome, ForwardError error, string detail)
    {
        UpstreamPool.Discard(connection);
        _answers.ForwardFailed(client, request, ForwardResult.Failed(error, detail), outcome);
        return new RelayResult(RelayStatus.TargetFailed, false);
    }
}
