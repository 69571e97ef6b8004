using System.Net.Sockets;
using InverseProxy.Compression;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>Which end of a body copy failed.</summary>
internal enum PumpSide
{
    Source,
    Sink,
}

/// <summary>A body copy failed; <see cref="Side"/> says whether reading or writing broke.</summary>
internal sealed class BodyPumpException : Exception
{
    public BodyPumpException(PumpSide side, Exception inner)
        : base($"{side} failed: {inner.Message}", inner)
    {
        Side = side;
    }

    public PumpSide Side { get; }
}

/// <summary>
/// Streams a body from a reader to a socket in bounded slices, re-framing it on the way (raw for Content-Length and
/// close-delimited output, chunked otherwise). A tap sees each slice, for the cache.
/// </summary>
internal static class BodyPump
{
    /// <summary>
    /// Copies the rest of <paramref name="source"/>; returns the decoded bytes copied. <paramref name="complete"/> runs
    /// once the whole body has been read, before the last write to the sink.
    /// </summary>
    public static long Copy(BodyReader source, SocketWriter sink, bool chunkedOut, Action<ReadOnlyMemory<byte>>? tap = null, Action? complete = null)
    {
        long copied = 0;
        while (true)
        {
            ReadOnlyMemory<byte> data;
            bool more;
            try
            {
                more = source.TryRead(out data);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                throw new BodyPumpException(PumpSide.Source, e);
            }
            if (!more)
            {
                break;
            }
            tap?.Invoke(data);
            if (source.IsComplete && !chunkedOut)
            {
                complete?.Invoke();
            }
            Write(sink, data, chunkedOut);
            copied += data.Length;
        }
        complete?.Invoke();
        if (chunkedOut)
        {
            Guard(() => sink.SendLastChunk(TrailerFields.Forwardable(source.Trailers)));
        }
        return copied;
    }

    /// <summary>
    /// Copies the rest of <paramref name="source"/> through an encoder for <paramref name="coding"/>; returns the
    /// encoded bytes sent. <paramref name="tap"/> sees the encoded bytes; <paramref name="complete"/> runs once the
    /// encoder has written its last bytes, before the last chunk.
    /// </summary>
    public static long CopyEncoded(BodyReader source, SocketWriter sink, bool chunkedOut, ContentCoding coding, Action<ReadOnlyMemory<byte>>? tap = null, Action? complete = null)
    {
        long sent = 0;
        bool broken = false;
        var output = new EncodedSink(data =>
        {
            if (broken)
            {
                return; // the copy failed: what the encoder flushes as it is released goes nowhere
            }
            tap?.Invoke(data);
            Write(sink, data, chunkedOut);
            sent += data.Length;
        });
        var encoder = BodyEncoder.Open(coding, output);
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> data;
                try
                {
                    if (!source.TryRead(out data))
                    {
                        break;
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    throw new BodyPumpException(PumpSide.Source, e);
                }
                encoder.Write(data.Span);
            }
            encoder.Dispose();
        }
        catch
        {
            broken = true;
            encoder.Dispose();
            throw;
        }
        complete?.Invoke();
        if (chunkedOut)
        {
            Guard(() => sink.SendLastChunk(null));
        }
        return sent;
    }

    /// <summary>
    /// Streams a client request body upstream, keeping its framing (chunked stays chunked), after the prefix read
    /// while it was being decided whether it fits the buffer.
    /// </summary>
    public static void Copy(RequestBody body, SocketWriter upstream)
    {
        var source = body.Stream!;
        bool chunked = source.Framing.Kind == BodyKind.Chunked;
        body.Started = true;
        if (!body.Buffered.IsEmpty)
        {
            Write(upstream, body.Buffered, chunked);
        }
        Copy(source, upstream, chunked);
    }

    private static void Write(SocketWriter sink, ReadOnlyMemory<byte> data, bool chunked)
    {
        try
        {
            if (chunked)
            {
                sink.SendChunk(data);
            }
            else
            {
                sink.Send(data.Span);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new BodyPumpException(PumpSide.Sink, e);
        }
    }

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new BodyPumpException(PumpSide.Sink, e);
        }
    }
}
