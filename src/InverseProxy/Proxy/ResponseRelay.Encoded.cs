using InverseProxy.Compression;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

internal sealed partial class ResponseRelay
{
    /// <summary>
    /// Relays a body the proxy encodes (<paramref name="compression"/>): one already buffered whole is encoded whole
    /// and sent with its encoded Content-Length; a larger or unframed one streams through the encoder, chunked to an
    /// HTTP/1.1 client, close-delimited to an HTTP/1.0 one. What is stored is the encoded body, so a hit for the
    /// coding sends it as it is.
    /// </summary>
    private RelayResult RelayEncoded(ClientSession client, ProxyRequest request, UpstreamConnection connection, ResponseHead target, BodyFraming framing, RequestOutcome outcome, CacheHeaders cacheHeaders, PendingStore? store, CompressionPlan compression)
    {
        var head = request.Client;
        var response = compression.Head;
        outcome.Status = response.StatusCode;
        request.Site!.Counters.RecordCompressed();
        if (framing.Kind == BodyKind.ContentLength && connection.Reader.BufferedCount >= framing.Length)
        {
            var whole = connection.Reader.BufferedMemory[..(int)framing.Length];
            byte[] encoded = BodyEncoder.Encode(compression.Coding, whole.Span);
            var fields = ClientHeaders(response, framing, chunkedOut: false, outcome.KeepAlive, head.Version, cacheHeaders);
            fields.Set("Content-Length", encoded.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            client.Writer.Date?.AddIfMissing(fields);
            HeadWriter.WriteResponseHead(HttpVersion.Http11, response.StatusCode, response.Reason, fields, client.Writer.Head);
            connection.Reader.Consume(whole.Length);
            _forwarder.Release(connection, target, framing, bodyComplete: true);
            return SendWhole(client, encoded, outcome, store);
        }
        bool chunkedOut = head.Version == HttpVersion.Http11;
        outcome.KeepAlive &= chunkedOut; // an HTTP/1.0 client learns the end of the encoded body from the close
        var headers = ClientHeaders(response, framing, chunkedOut, outcome.KeepAlive, head.Version, cacheHeaders);
        client.Writer.Date?.AddIfMissing(headers);
        HeadWriter.WriteResponseHead(HttpVersion.Http11, response.StatusCode, response.Reason, headers, client.Writer.Head);
        if (!FitsBuffer(framing, connection.Reader))
        {
            connection.Reader.EnsureCapacity(UpstreamIo.StreamingReadSize);
        }
        var source = new BodyReader(connection.Reader, framing);
        try
        {
            client.Writer.SendHead();
            outcome.BodyBytes = BodyPump.CopyEncoded(source, client.Writer, chunkedOut, compression.Coding, store is null ? null : store.Capture.Append, store is null ? null : store.Commit);
        }
        catch (Exception e) when (e is BodyPumpException or HttpParseException or IOException or System.Net.Sockets.SocketException)
        {
            UpstreamPool.Discard(connection);
            outcome.KeepAlive = false;
            bool clientSide = e is BodyPumpException { Side: PumpSide.Sink };
            if (!clientSide)
            {
                Log.UpstreamBodyFailed(_logger, connection.Target.Name, e.Message);
            }
            return new RelayResult(clientSide ? RelayStatus.ClientGone : RelayStatus.TargetFailed, store?.Stored ?? false);
        }
        _forwarder.Release(connection, target, framing, source.IsComplete);
        return new RelayResult(RelayStatus.Completed, store?.Stored ?? false);
    }

    /// <summary>Stores <paramref name="body"/>, then sends the written head and it in one write.</summary>
    private static RelayResult SendWhole(ClientSession client, ReadOnlyMemory<byte> body, RequestOutcome outcome, PendingStore? store)
    {
        if (store is not null)
        {
            store.Capture.Append(body);
            store.Commit();
        }
        try
        {
            client.Writer.SendHead(body);
            outcome.BodyBytes = body.Length;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            outcome.KeepAlive = false;
            return new RelayResult(RelayStatus.ClientGone, store?.Stored ?? false);
        }
        return new RelayResult(RelayStatus.Completed, store?.Stored ?? false);
    }
}
