using System.Buffers;
using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Logging;

namespace InverseProxy.Proxy;

/// <summary>Writes a stored response: its head bytes, Age and cache fields, and its body, in one gathered write.</summary>
internal static class StoredResponseWriter
{
    // RFC 9110 §15.4.5: the fields a 304 carries from the response it stands for (and Last-Modified, the validator).
    private static readonly string[] s_notModifiedFields =
        ["Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Last-Modified", "Vary"];

    public static void Write(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        outcome.Status = entry.StatusCode;
        // Written piece by piece into the connection's head buffer: a hit allocates nothing here.
        var head = client.Writer.Head;
        head.Write(entry.HeadBytes);
        WriteTail(client, request, entry, outcome, result, cacheStatus, now);
        var body = request.IsHead ? ReadOnlyMemory<byte>.Empty : entry.Body;
        client.Writer.SendHead(body);
        outcome.BodyBytes = body.Length;
    }

    /// <summary>Answers a conditional request the stored response satisfies (RFC 9111 §4.3.2): 304 with its validators.</summary>
    public static void WriteNotModified(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        outcome.Status = 304;
        var head = client.Writer.Head;
        head.Write("HTTP/1.1 304 Not Modified\r\n"u8);
        var stored = entry.Headers;
        foreach (var field in stored)
        {
            if (Array.Exists(s_notModifiedFields, n => n.Equals(field.Name, StringComparison.OrdinalIgnoreCase)))
            {
                SocketWriter.WriteLatin1(head, field.Name);
                head.Write(": "u8);
                SocketWriter.WriteLatin1(head, field.Value);
                head.Write("\r\n"u8);
            }
        }
        WriteTail(client, request, entry, outcome, result, cacheStatus, now);
        client.Writer.SendHead(ReadOnlyMemory<byte>.Empty);
        outcome.BodyBytes = 0;
    }

    // Age, Via, the cache fields and Connection, then the blank line.
    private static void WriteTail(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        outcome.Cache = result;
        var head = client.Writer.Head;
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
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, long value)
    {
        value.TryFormat(output.GetSpan(20), out int written);
        output.Advance(written);
    }
}
