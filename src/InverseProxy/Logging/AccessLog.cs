using System.Net;
using InverseProxy.Http;

namespace InverseProxy.Logging;

/// <summary>
/// The one-line-per-request log. Each entry is formatted into the calling thread's reusable buffer and copied
/// into the <see cref="LogFileWriter"/> queue, so writing one allocates nothing in steady state.
/// </summary>
internal sealed partial class AccessLog
{
    private readonly LogFileWriter _writer;
    private readonly TimeProvider _time;

    public AccessLog(LogFileWriter writer, AccessLogFormat format, TimeProvider time)
    {
        _writer = writer;
        Format = format;
        _time = time;
    }

    public AccessLogFormat Format { get; }

    /// <summary>Queues the entry's line; never blocks on the disk (a full queue drops and counts it).</summary>
    public void Write(in AccessLogEntry entry)
    {
        LineBuffer line = LineBuffer.Acquire();
        try
        {
            Render(in entry, line);
            _writer.TryWriteLine(line.WrittenSpan);
        }
        finally
        {
            line.Release();
        }
    }

    /// <summary>Formats the entry as one line without its line break.</summary>
    internal void Render(in AccessLogEntry entry, LineBuffer line)
    {
        DateTimeOffset time = entry.Timestamp == default ? _time.GetUtcNow() : entry.Timestamp;
        switch (Format)
        {
            case AccessLogFormat.Combined:
                RenderCombined(in entry, time, line);
                break;
            case AccessLogFormat.Json:
                RenderJson(in entry, time, line);
                break;
            default:
                RenderText(in entry, time, line);
                break;
        }
    }

    /// <summary>
    /// <c>2026-11-22T10:00:00.123Z 127.0.0.1 "GET /a HTTP/1.1" 200 1024 3.2ms target=127.0.0.1:9001 cache=MISS conn=42 site=default</c>,
    /// and <c> tls=TLSv1.3</c> after it for a request that came over TLS.
    /// </summary>
    private static void RenderText(in AccessLogEntry entry, DateTimeOffset time, LineBuffer line)
    {
        line.AppendIsoUtc(time);
        line.Append((byte)' ');
        AppendAddress(entry.ClientAddress, line);
        line.AppendAscii(" \"");
        AppendRequestLine(in entry, line);
        line.AppendAscii("\" ");
        line.AppendInt64(entry.Status);
        line.Append((byte)' ');
        line.AppendInt64(entry.BytesSent);
        line.Append((byte)' ');
        line.AppendTenths(entry.Duration.TotalMilliseconds);
        line.AppendAscii("ms target=");
        AppendOrDash(entry.Upstream, line);
        line.AppendAscii(" cache=");
        line.Append(entry.Cache.ToUtf8());
        line.AppendAscii(" conn=");
        line.AppendInt64(entry.ConnectionId);
        line.AppendAscii(" site=");
        AppendOrDash(entry.Site, line);
        if (entry.Tls is not null)
        {
            line.AppendAscii(" tls=");
            line.AppendAscii(entry.Tls);
        }
    }

    /// <summary>
    /// nginx's combined format:
    /// <c>$remote_addr - - [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"</c>.
    /// </summary>
    private void RenderCombined(in AccessLogEntry entry, DateTimeOffset time, LineBuffer line)
    {
        AppendAddress(entry.ClientAddress, line);
        line.AppendAscii(" - - [");
        line.AppendCommonLogTime(time, _time.LocalTimeZone);
        line.AppendAscii("] \"");
        AppendRequestLine(in entry, line);
        line.AppendAscii("\" ");
        line.AppendInt64(entry.Status);
        line.Append((byte)' ');
        line.AppendInt64(entry.BytesSent);
        line.AppendAscii(" \"");
        AppendOrDash(entry.Referer, line);
        line.AppendAscii("\" \"");
        AppendOrDash(entry.UserAgent, line);
        line.Append((byte)'"');
    }

    /// <summary>The request line; <c>-</c> alone when none was parsed (as nginx writes for a garbled request).</summary>
    private static void AppendRequestLine(in AccessLogEntry entry, LineBuffer line)
    {
        if (entry.Method is null && entry.Target is null)
        {
            line.Append((byte)'-');
            return;
        }

        AppendOrDash(entry.Method, line);
        line.Append((byte)' ');
        AppendOrDash(entry.Target, line);
        line.Append((byte)' ');
        line.AppendAscii(entry.Protocol.ToText());
    }

    private static void AppendOrDash(string? text, LineBuffer line)
    {
        if (string.IsNullOrEmpty(text))
        {
            line.Append((byte)'-');
        }
        else
        {
            line.AppendHttpEscaped(text);
        }
    }

    private static void AppendAddress(IPAddress? address, LineBuffer line)
    {
        if (address is null)
        {
            line.Append((byte)'-');
        }
        else
        {
            line.AppendFormatted(address);
        }
    }
}
