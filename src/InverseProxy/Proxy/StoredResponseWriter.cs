using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
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
                WriteField(head, field.Name, field.Value);
            }
        }
        WriteTail(client, request, entry, outcome, result, cacheStatus, now);
        client.Writer.SendHead(ReadOnlyMemory<byte>.Empty);
        outcome.BodyBytes = 0;
    }

    /// <summary>
    /// Answers a Range from a complete stored 200 (RFC 9110 §14): 206 with the stored fields and Content-Range, or
    /// 416 with <c>Content-Range: bytes */length</c> (§15.5.17).
    /// </summary>
    public static void WriteRange(ClientSession client, RequestHead request, CachedResponse entry, RangeAnswer answer, long start, long length, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        var head = client.Writer.Head;
        string size = entry.Body.Length.ToString(CultureInfo.InvariantCulture);
        ReadOnlyMemory<byte> body;
        if (answer == RangeAnswer.Partial)
        {
            outcome.Status = 206;
            head.Write("HTTP/1.1 206 Partial Content\r\n"u8);
            foreach (var field in entry.Headers)
            {
                if (!field.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    WriteField(head, field.Name, field.Value);
                }
            }
            WriteField(head, "Content-Range", $"bytes {start}-{start + length - 1}/{size}");
            body = entry.Body.AsMemory((int)start, (int)length);
        }
        else
        {
            outcome.Status = 416;
            head.Write("HTTP/1.1 416 Range Not Satisfiable\r\n"u8);
            WriteField(head, "Content-Range", "bytes */" + size);
            body = ReadOnlyMemory<byte>.Empty;
        }
        WriteField(head, "Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        WriteTail(client, request, entry, outcome, result, cacheStatus, now);
        body = request.IsHead ? ReadOnlyMemory<byte>.Empty : body;
        client.Writer.SendHead(body);
        outcome.BodyBytes = body.Length;
    }

    private static void WriteField(ArrayBufferWriter<byte> head, string name, string value)
    {
        SocketWriter.WriteLatin1(head, name);
        head.Write(": "u8);
        SocketWriter.WriteLatin1(head, value);
        head.Write("\r\n"u8);
    }

    // Age, Via, the cache fields and Connection, then the blank line.
    private static void WriteTail(ClientSession client, RequestHead request, CachedResponse entry, RequestOutcome outcome, CacheResult result, string cacheStatus, DateTimeOffset now)
    {
        outcome.Cache = result;
        var head = client.Writer.Head;
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

    // Utf8Formatter: invariant digits without the current culture's look-up that long.TryFormat makes.
    private static void WriteNumber(ArrayBufferWriter<byte> output, long value)
    {
        Utf8Formatter.TryFormat(value, output.GetSpan(20), out int written);
        output.Advance(written);
    }
}
