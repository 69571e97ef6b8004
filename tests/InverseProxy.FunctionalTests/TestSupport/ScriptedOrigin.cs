using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>A request as the origin received it.</summary>
internal sealed record OriginRequest(string Method, string Target, WireMessage Message, int ConnectionId)
{
    public string? Header(string name) => Message.Header(name);
}

/// <summary>What the origin answers. <see cref="Raw"/> bytes, when set, are sent instead of a built response.</summary>
internal sealed class OriginResponse
{
    public int Status { get; init; } = 200;

    public string Reason { get; init; } = "OK";

    public List<KeyValuePair<string, string>> Headers { get; init; } = new();

    public byte[] Body { get; init; } = Array.Empty<byte>();

    /// <summary>Send the body chunked (with these trailers) instead of with Content-Length.</summary>
    public bool Chunked { get; init; }

    public List<KeyValuePair<string, string>> Trailers { get; init; } = new();

    /// <summary>Send no Content-Length and close after the body (close-delimited).</summary>
    public bool CloseDelimited { get; init; }

    public byte[]? Raw { get; init; }

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Send the head first and the body this much later, in a write of its own (nginx sends a file so).</summary>
    public TimeSpan? BodyAfter { get; init; }

    /// <summary>Close the connection without answering.</summary>
    public bool Hangup { get; init; }

    /// <summary>Close the connection after answering.</summary>
    public bool CloseAfter { get; init; }

    public static OriginResponse Text(string body, params (string Name, string Value)[] headers) => new()
    {
        Body = Encoding.UTF8.GetBytes(body),
        Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
    };
}

/// <summary>
/// A scripted HTTP/1.1 origin on 127.0.0.1:0: one thread per connection, keep-alive, every request recorded, answers
/// from <see cref="Handler"/>. Counts connections and requests so tests can prove reuse and cache hits.
/// </summary>
internal sealed class ScriptedOrigin : IDisposable
{
    private readonly LoopbackListener _listener;
    private int _requestCount;

    public ScriptedOrigin(Func<OriginRequest, OriginResponse>? handler = null)
    {
        Handler = handler ?? (r => OriginResponse.Text($"hello from {r.Target}"));
        _listener = new LoopbackListener("origin", Serve);
    }

    public Func<OriginRequest, OriginResponse> Handler { get; set; }

    public int Port => _listener.Port;

    public int ConnectionCount => _listener.ConnectionCount;

    public int RequestCount => Volatile.Read(ref _requestCount);

    public ConcurrentQueue<OriginRequest> Requests { get; } = new();

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket, int connectionId)
    {
        var reader = new WireReader(socket);
        while (reader.ReadHead() is { } head)
        {
            var (body, trailers) = reader.ReadBody(head.headers, noBody: false, untilCloseIfUnframed: false);
            var parts = head.startLine.Split(' ');
            var message = new WireMessage { StartLine = head.startLine, Headers = head.headers, Body = body, Trailers = trailers, RawHead = head.raw };
            var request = new OriginRequest(parts[0], parts[1], message, connectionId);
            Requests.Enqueue(request);
            Interlocked.Increment(ref _requestCount);
            var response = Handler(request);
            if (!Answer(socket, request, response))
            {
                return;
            }
        }
    }

    /// <summary>Writes the answer; false when the connection must close afterwards.</summary>
    private static bool Answer(Socket socket, OriginRequest request, OriginResponse response)
    {
        if (response.Delay > TimeSpan.Zero)
        {
            Thread.Sleep(response.Delay);
        }
        if (response.Hangup)
        {
            return false;
        }
        var bytes = response.Raw ?? Build(request, response);
        if (response.BodyAfter is { } pause)
        {
            int headEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
            socket.Send(bytes.AsSpan(0, headEnd));
            Thread.Sleep(pause);
            bytes = bytes[headEnd..];
        }
        socket.Send(bytes);
        return !(response.CloseAfter || response.CloseDelimited);
    }

    private static byte[] Build(OriginRequest request, OriginResponse response)
    {
        var head = new StringBuilder($"HTTP/1.1 {response.Status} {response.Reason}\r\n");
        foreach (var h in response.Headers)
        {
            head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
        }
        bool noBody = request.Method == "HEAD" || response.Status is 204 or 304 || response.Status < 200;
        var output = new MemoryStream();
        if (response.Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            output.Write(Encoding.Latin1.GetBytes(head.ToString()));
            if (response.Body.Length > 0)
            {
                output.Write(Encoding.Latin1.GetBytes($"{response.Body.Length:X}\r\n"));
                output.Write(response.Body);
                output.Write("\r\n"u8);
            }
            output.Write("0\r\n"u8);
            foreach (var t in response.Trailers)
            {
                output.Write(Encoding.Latin1.GetBytes($"{t.Key}: {t.Value}\r\n"));
            }
            output.Write("\r\n"u8);
            return output.ToArray();
        }
        if (response.CloseDelimited)
        {
            head.Append("Connection: close\r\n");
        }
        else if (!response.Headers.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) && !(response.Status is 204 or 304))
        {
            head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
        }
        if (response.CloseAfter && !response.CloseDelimited)
        {
            head.Append("Connection: close\r\n");
        }
        head.Append("\r\n");
        output.Write(Encoding.Latin1.GetBytes(head.ToString()));
        if (!noBody)
        {
            output.Write(response.Body);
        }
        return output.ToArray();
    }
}
