using System.Buffers;
using System.Buffers.Text;
using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Logging;

namespace InverseProxy.Proxy;

/// <summary>Writes a stored response: its head bytes, Age and cache fields, and its body, in one gathered write.</summary>
internal static class StoredResponseWriter
{
    public static void Write(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        outcome.Cache = result;
        outcome.Status = entry.StatusCode;
        // Written piece by piece into the connection's head buffer: a hit allocates nothing here.
        var head = client.Writer.Head;
        head.Write(entry.HeadBytes);
        if (!entry.HasDate)
        {
            WriteDate(head, entry.BornAt);
        }
        head.Write("Age: "u8);
        WriteNumber(head, (long)entry.AgeAt(now).TotalSeconds);
        head.Write("\r\nVia: 1.1 inverseproxy\r\nCache-Status: InverseProxy; "u8);
        SocketWriter.WriteLatin1(head, cacheStatus);
        head.Write("; ttl="u8);
        WriteNumber(head, (long)(entry.ExpiresAt - now).TotalSeconds);
        head.Write(result switch
        {
            CacheResult.Hit => "\r\nX-Cache: HIT\r\n"u8,
            CacheResult.Stale => "\r\nX-Cache: STALE\r\n"u8,
            _ => "\r\nX-Cache: MISS\r\n"u8,
        });
        if (!outcome.KeepAlive)
        {
            head.Write("Connection: close\r\n"u8);
        }
        else if (request.Version == HttpVersion.Http10)
        {
            head.Write("Connection: keep-alive\r\n"u8);
        }
        head.Write("\r\n"u8);
        var body = request.IsHead ? ReadOnlyMemory<byte>.Empty : entry.Body;
        client.Writer.SendHead(body);
        outcome.BodyBytes = body.Length;
    }

    /// <summary>
    /// RFC 9110 §6.6.1: a recipient with a clock caching a response without Date must add one, the time it was
    /// received: the entry's birth, so Date plus Age is now. Formatted in place (IMF-fixdate), without allocating.
    /// </summary>
    private static void WriteDate(ArrayBufferWriter<byte> output, DateTimeOffset bornAt)
    {
        output.Write("Date: "u8);
        Utf8Formatter.TryFormat(bornAt.ToUniversalTime(), output.GetSpan(32), out int written, new StandardFormat('R'));
        output.Advance(written);
        output.Write("\r\n"u8);
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(20), out int written);
        output.Advance(written);
    }
}
