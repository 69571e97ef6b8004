using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>A request body as <see cref="StreamingOrigin"/> received it: counted and checked, never kept.</summary>
internal sealed record StreamedRequest(string Method, string Target, long BodyBytes, bool BodyIntact);

/// <summary>
/// An origin for very large bodies (ScriptedOrigin buffers them). A request body with Content-Length is read,
/// counted and checked against <see cref="BytePattern"/>, then answered with <c>received N intact|corrupt</c>;
/// <c>GET /bytes/N</c> is answered with N pattern bytes. Keep-alive, one thread per connection.
/// </summary>
internal sealed class StreamingOrigin : IDisposable
{
    private readonly LoopbackListener _listener;

    public StreamingOrigin()
    {
        _listener = new LoopbackListener("streaming-origin", Serve);
    }

    public int Port => _listener.Port;

    public ConcurrentQueue<StreamedRequest> Requests { get; } = new();

    public void Dispose() => _listener.Dispose();

    private void Serve(Socket socket, int connectionId)
    {
        var reader = new WireReader(socket);
        while (reader.ReadHead() is { } head)
        {
            var parts = head.startLine.Split(' ');
            string? contentLength = new WireMessage { Headers = head.headers }.Header("Content-Length");
            long length = contentLength is null ? 0 : long.Parse(contentLength);
            var (bytes, intact) = reader.ReadPatternBody(length);
            Requests.Enqueue(new StreamedRequest(parts[0], parts[1], bytes, intact));
            if (bytes < length)
            {
                return;
            }
            Answer(socket, parts[1], bytes, intact);
        }
    }

    private static void Answer(Socket socket, string target, long received, bool intact)
    {
        if (target.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            long count = long.Parse(target["/bytes/".Length..]);
            socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {count}\r\nCache-Control: no-store\r\n\r\n"));
            BytePattern.Send(socket, count);
            return;
        }
        string body = $"received {received} {(intact ? "intact" : "corrupt")}";
        socket.Send(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n\r\n{body}"));
    }
}
