using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

internal sealed partial class RequestHandler
{
    /// <summary>
    /// Relays a target's response to the client, re-framing the body where the client needs it (chunked for
    /// HTTP/1.1 when the length is unknown, close-delimited for HTTP/1.0), copying it into <paramref name="capture"/>
    /// if given, and returning the upstream connection to the pool only when its response was read to the end.
    /// Returns false if the body was cut short (the client connection is then closed).
    /// </summary>
    private bool Relay(ClientSession client, RequestHead request, ForwardResult result, RequestOutcome outcome, ResponseCapture? capture, CacheHeaders cacheHeaders = default)
    {
        var connection = result.Connection!;
        var response = result.Response!;
        outcome.Target = connection.Target.Name;
        BodyFraming framing;
        try
        {
            framing = BodyFramingRules.ForResponse(request.Method, response);
        }
        catch (HttpParseException e)
        {
            UpstreamPool.Discard(connection);
            AnswerForwardError(client, request, ForwardResult.Failed(ForwardError.BackendProtocolError, $"{connection.Target.Name}: {e.Error}"), outcome);
            return false;
        }
        // Codings other than chunked (e.g. "gzip, chunked") describe the body bytes themselves: they travel on with
        // it, which HTTP/1.0 cannot express, and such a body is not stored.
        string? codings = OtherTransferCodings(response.Headers);
        if (codings is not null)
        {
            if (request.Version == HttpVersion.Http10)
            {
                UpstreamPool.Discard(connection);
                AnswerForwardError(client, request, ForwardResult.Failed(ForwardError.BackendProtocolError, $"{connection.Target.Name}: transfer coding '{codings}' for an HTTP/1.0 client"), outcome);
                return false;
            }
            capture = null;
        }
        if (!TryReadSmallBody(connection, framing, out var failure))
        {
            UpstreamPool.Discard(connection);
            HandleSmallBodyFailure(client, request, connection, failure!, outcome);
            return false;
        }
        bool chunkedOut = false;
        if (framing.Kind is BodyKind.Chunked or BodyKind.CloseDelimited)
        {
            chunkedOut = request.Version == HttpVersion.Http11;
            outcome.KeepAlive &= chunkedOut; // an HTTP/1.0 client learns the end of the body from the close
        }
        // The cache stores the target's fields as sent; the client's copy gets Via, framing and cache fields.
        var headers = capture is null ? response.Headers : response.Headers.Clone();
        // RFC 9112 §6.3 item 3: a Content-Length sent beside Transfer-Encoding is wrong; it must not reach the client.
        if (framing.Kind is BodyKind.Chunked or BodyKind.CloseDelimited)
        {
            headers.Remove("Content-Length");
        }
        PrepareClientHeaders(headers, chunkedOut, outcome.KeepAlive, request.Version, cacheHeaders);
        if (codings is not null && chunkedOut)
        {
            headers.Set("Transfer-Encoding", codings + ", chunked");
        }
        client.Writer.Date?.AddIfMissing(headers);
        outcome.Status = response.StatusCode;
        HeadWriter.WriteResponseHead(HttpVersion.Http11, response.StatusCode, response.Reason, headers, client.Writer.Head);
        return RelayBody(client, connection, response, framing, chunkedOut, outcome, capture);
    }

    private bool RelayBody(ClientSession client, UpstreamConnection connection, ResponseHead response, BodyFraming framing, bool chunkedOut, RequestOutcome outcome, ResponseCapture? capture)
    {
        if (framing.Kind == BodyKind.ContentLength && connection.Reader.BufferedCount >= framing.Length)
        {
            return RelayBuffered(client, connection, response, framing, outcome, capture);
        }
        // A body larger than the buffer is read in larger pieces; the thread keeps the grown buffer for later bodies.
        if (!FitsBuffer(framing, connection.Reader))
        {
            connection.Reader.EnsureCapacity(UpstreamIo.StreamingReadSize);
        }
        var source = new BodyReader(connection.Reader, framing);
        try
        {
            client.Writer.SendHead();
            outcome.BodyBytes = capture is null
                ? BodyPump.Copy(source, client.Writer, chunkedOut)
                : BodyPump.Copy(source, client.Writer, chunkedOut, capture.Append, capture.Complete);
        }
        catch (Exception e) when (e is BodyPumpException or HttpParseException or IOException or System.Net.Sockets.SocketException)
        {
            // Either side broke mid-body: the client must see the connection close, not a short body taken as whole.
            UpstreamPool.Discard(connection);
            outcome.KeepAlive = false;
            outcome.BodyBytes = source.BytesRead;
            if (e is not BodyPumpException { Side: PumpSide.Sink })
            {
                Log.UpstreamBodyFailed(_logger, connection.Target.Name, e.Message);
            }
            return false;
        }
        _forwarder.Release(connection, response, framing, source.IsComplete);
        return true;
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

    /// <summary>Nothing was sent yet: the client gets 504 for a target that went quiet, 502 for a broken read.</summary>
    private void HandleSmallBodyFailure(ClientSession client, RequestHead request, UpstreamConnection connection, Exception failure, RequestOutcome outcome)
    {
        Log.UpstreamBodyFailed(_logger, connection.Target.Name, failure.Message);
        outcome.KeepAlive = false;
        var error = failure is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.TimedOut }
            ? ForwardError.ResponseTimeout
            : ForwardError.TargetClosed;
        AnswerForwardError(client, request, ForwardResult.Failed(error, $"{connection.Target.Name}: {failure.Message}"), outcome);
    }

    /// <summary>
    /// The common small response, already buffered whole behind its head: head and body leave in one write, and no
    /// body reader is made. The target's side is complete whatever the client does, so its connection is kept.
    /// </summary>
    private bool RelayBuffered(ClientSession client, UpstreamConnection connection, ResponseHead response, BodyFraming framing, RequestOutcome outcome, ResponseCapture? capture)
    {
        var whole = connection.Reader.BufferedMemory[..(int)framing.Length];
        bool sent = true;
        try
        {
            capture?.Append(whole);
            capture?.Complete();
            client.Writer.SendHead(whole);
            outcome.BodyBytes = whole.Length;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            outcome.KeepAlive = false;
            sent = false;
        }
        connection.Reader.Consume(whole.Length);
        _forwarder.Release(connection, response, framing, bodyComplete: true);
        return sent;
    }

    private static void PrepareClientHeaders(HttpHeaders headers, bool chunkedOut, bool keepAlive, HttpVersion clientVersion, CacheHeaders cacheHeaders)
    {
        HopByHopHeaders.Strip(headers);
        UpstreamRequest.AppendVia(headers, HttpVersion.Http11);
        if (chunkedOut)
        {
            headers.Remove("Content-Length");
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
    }

    /// <summary>The Transfer-Encoding list without its chunked elements, or null when there is nothing else.</summary>
    private static string? OtherTransferCodings(HttpHeaders headers)
    {
        string? list = headers.GetCombined("Transfer-Encoding");
        if (list is null)
        {
            return null;
        }
        var others = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => !c.Split(';')[0].Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        return others.Length == 0 ? null : string.Join(", ", others);
    }
}
