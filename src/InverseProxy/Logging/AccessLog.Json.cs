using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using InverseProxy.Http;

namespace InverseProxy.Logging;

/// <summary>The <c>json</c> access log format: one object per line, field names fixed (tooling depends on them).</summary>
internal sealed partial class AccessLog
{
    private static readonly JsonEncodedText s_time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText s_remoteAddr = JsonEncodedText.Encode("remote_addr");
    private static readonly JsonEncodedText s_conn = JsonEncodedText.Encode("conn");
    private static readonly JsonEncodedText s_method = JsonEncodedText.Encode("method");
    private static readonly JsonEncodedText s_target = JsonEncodedText.Encode("target");
    private static readonly JsonEncodedText s_protocol = JsonEncodedText.Encode("protocol");
    private static readonly JsonEncodedText s_status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText s_bytesSent = JsonEncodedText.Encode("bytes_sent");
    private static readonly JsonEncodedText s_requestBytes = JsonEncodedText.Encode("request_bytes");
    private static readonly JsonEncodedText s_durationMs = JsonEncodedText.Encode("duration_ms");
    private static readonly JsonEncodedText s_upstream = JsonEncodedText.Encode("upstream");
    private static readonly JsonEncodedText s_cache = JsonEncodedText.Encode("cache");
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText s_tls = JsonEncodedText.Encode("tls");
    private static readonly JsonEncodedText s_referer = JsonEncodedText.Encode("referer");
    private static readonly JsonEncodedText s_userAgent = JsonEncodedText.Encode("user_agent");

    // Relaxed: keeps non-ASCII readable; still escapes control characters, '"' and '\' (the line is not HTML).
    private static readonly JsonWriterOptions s_options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    private static void RenderJson(in AccessLogEntry entry, DateTimeOffset time, LineBuffer line)
    {
        Utf8JsonWriter json = t_json ??= new Utf8JsonWriter(line, s_options);
        json.Reset(line);
        json.WriteStartObject();
        Span<byte> scratch = stackalloc byte[64];
        LineBuffer.FormatIsoUtc(time, scratch, out int written);
        json.WriteString(s_time, scratch[..written]);
        if (entry.ClientAddress is not null && entry.ClientAddress.TryFormat(scratch, out written))
        {
            json.WriteString(s_remoteAddr, scratch[..written]);
        }
        else
        {
            json.WriteNull(s_remoteAddr);
        }

        json.WriteNumber(s_conn, entry.ConnectionId);
        WriteStringOrNull(json, s_method, entry.Method);
        WriteStringOrNull(json, s_target, entry.Target);
        json.WriteString(s_protocol, entry.Protocol.ToText());
        json.WriteNumber(s_status, entry.Status);
        json.WriteNumber(s_bytesSent, entry.BytesSent);
        json.WriteNumber(s_requestBytes, entry.RequestBytes);
        json.WriteNumber(s_durationMs, Math.Round(entry.Duration.TotalMilliseconds, 3));
        WriteStringOrNull(json, s_upstream, entry.Upstream);
        WriteStringOrNull(json, s_site, entry.Site);
        if (entry.Tls is not null)
        {
            json.WriteString(s_tls, entry.Tls);
        }
        if (entry.Cache == CacheResult.None)
        {
            json.WriteNull(s_cache);
        }
        else
        {
            json.WriteString(s_cache, entry.Cache.ToUtf8());
        }

        WriteStringOrNull(json, s_referer, entry.Referer);
        WriteStringOrNull(json, s_userAgent, entry.UserAgent);
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>Request text (method, target, header values) arrives one char per wire byte: see <see cref="WireText"/>.</summary>
    private static void WriteStringOrNull(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else if (!WireText.NeedsDecoding(value))
        {
            json.WriteString(name, value);
        }
        else
        {
            WriteDecoded(json, name, value);
        }
    }

    /// <summary>Non-ASCII request text is the UTF-8 the client sent, not one character per byte.</summary>
    private static void WriteDecoded(Utf8JsonWriter json, JsonEncodedText name, string wireText)
    {
        char[]? rented = null;
        Span<char> buffer = wireText.Length <= WireText.StackLimit
            ? stackalloc char[WireText.StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(wireText.Length));
        try
        {
            json.WriteString(name, buffer[..WireText.DecodeUtf8(wireText, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
