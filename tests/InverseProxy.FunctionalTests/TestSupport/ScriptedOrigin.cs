using System.Collections.Concurrent;
using System.Net;
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
    private readonly Socket _listener;
    private readonly ConcurrentBag<Socket> _connections = new();
    private int _connectionCount;
    private int _requestCount;
    private volatile bool _stopped;

    public ScriptedOrigin(Func<OriginRequest, OriginResponse>? handler = null)
    {
        Handler = handler ?? (r => OriginResponse.Text($"hello from {r.Target}"));
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1024);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = $"origin-{Port}" }.Start();
    }

    public Func<OriginRequest, OriginResponse> Handler { get; set; }

    public int Port { get; }

    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    public int RequestCount => Volatile.Read(ref _requestCount);

    public ConcurrentQueue<OriginRequest> Requests { get; } = new();

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
        foreach (var socket in _connections)
        {
            socket.Dispose();
        }
    }

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception) when (_stopped)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _connections.Add(socket);
            int id = Interlocked.Increment(ref _connectionCount);
            new Thread(() => Serve(socket, id)) { IsBackground = true }.Start();
        }
    }

    private void Serve(Socket socket, int connectionId)
    {
        try
        {
            var reader = new WireReader(socket);
            while (!_stopped)
            {
                var head = reader.ReadHead();
                if (head is null)
                {
                    return;
                }
                var (body, trailers) = reader.ReadBody(head.Value.headers, noBody: false, untilCloseIfUnframed: false);
                var parts = head.Value.startLine.Split(' ');
                var message = new WireMessage { StartLine = head.Value.startLine, Headers = head.Value.headers, Body = body, Trailers = trailers, RawHead = head.Value.raw };
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
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The proxy closed the connection; that is its right.
        }
        finally
        {
            socket.Dispose();
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
        socket.Send(response.Raw ?? Build(request, response));
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
