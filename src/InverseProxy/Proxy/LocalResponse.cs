using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>Responses the proxy answers itself: errors, PURGE results, 100 Continue, 503 at the connection limit.</summary>
internal static class LocalResponse
{
    public static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    /// <summary>Writes a short text/plain response; <paramref name="close"/> adds Connection: close.</summary>
    public static void Write(SocketWriter writer, int status, string text, bool close, bool headOnly = false, string? extraHeader = null)
    {
        var body = Encoding.UTF8.GetBytes(text.EndsWith('\n') ? text : text + "\n");
        var headers = new HttpHeaders();
        headers.Add("Content-Type", "text/plain; charset=utf-8");
        headers.Add("Content-Length", body.Length.ToString());
        if (extraHeader is not null)
        {
            int colon = extraHeader.IndexOf(':');
            headers.Add(extraHeader[..colon], extraHeader[(colon + 1)..].Trim());
        }
        if (close)
        {
            headers.Add("Connection", "close");
        }
        writer.Date?.AddIfMissing(headers);
        HeadWriter.WriteResponseHead(HttpVersion.Http11, status, HttpParseErrors.ReasonPhrase(status), headers, writer.Head);
        writer.SendHead(headOnly ? ReadOnlyMemory<byte>.Empty : body);
    }

    /// <summary>The wire bytes of a complete close-delimited error response, for use before any session exists.</summary>
    public static byte[] Raw(int status, string text, string? date = null)
    {
        string body = text + "\n";
        string dated = date is null ? "" : $"Date: {date}\r\n";
        string head = $"HTTP/1.1 {status} {HttpParseErrors.ReasonPhrase(status)}\r\n{dated}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n";
        return Encoding.UTF8.GetBytes(head + body);
    }
}
