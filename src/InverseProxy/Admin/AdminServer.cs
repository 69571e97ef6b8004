using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Admin;

/// <summary>
/// The admin listener (admin_port, loopback by default): <c>GET /proxy-stats</c> (JSON), <c>GET /metrics</c>
/// (Prometheus), <c>GET /</c> (a dashboard page that polls the JSON), and <c>PURGE /path</c> with the Host to purge (or <c>PURGE http://host/path</c>), in the site that URI routes to.
/// One request per connection; short timeouts, since nothing here is worth holding a thread for.
/// </summary>
internal sealed class AdminServer : IDisposable
{
    private const int TimeoutMs = 5000;
    private static readonly HttpLimits Limits = new(4096, 16 * 1024, 64);

    private readonly ProxyServer _proxy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Socket _listener;
    private volatile bool _stopping;

    public AdminServer(IPEndPoint endPoint, ProxyServer proxy, TimeProvider time, ILogger logger)
    {
        _proxy = proxy;
        _time = time;
        _logger = logger;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(endPoint);
        _listener.Listen(64);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        new Thread(AcceptLoop) { IsBackground = true, Name = "admin-accept" }.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            try
            {
                var client = _listener.Accept();
                new Thread(() => Serve(client)) { IsBackground = true, Name = "admin-conn" }.Start();
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (Exception e)
            {
                Log.AcceptFailed(_logger, e);
            }
        }
    }

    private void Serve(Socket client)
    {
        using (client)
        {
            client.ReceiveTimeout = TimeoutMs;
            client.SendTimeout = TimeoutMs;
            var writer = new SocketWriter(client);
            try
            {
                var request = new MessageReader(client, Limits.MaxHeadBytes).ReadRequestHead(Limits);
                if (request is not null)
                {
                    Answer(writer, request);
                }
            }
            catch (HttpParseException e)
            {
                Write(writer, e.Error.ToStatusCode(), "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(e.Error + "\n"));
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // An admin client that went away needs no answer.
            }
        }
    }

    private void Answer(SocketWriter writer, RequestHead request)
    {
        string path = request.Target.Split('?')[0];
        switch (request.Method, path)
        {
            case ("GET" or "HEAD", "/proxy-stats"):
                Write(writer, 200, "application/json", StatsReport.Capture(_proxy, _time).ToJson(), request.IsHead);
                break;
            case ("GET" or "HEAD", "/metrics"):
                Write(writer, 200, "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8.GetBytes(PrometheusText.Render(StatsReport.Capture(_proxy, _time))), request.IsHead);
                break;
            case ("GET" or "HEAD", "/"):
                Write(writer, 200, "text/html; charset=utf-8", Dashboard.Page, request.IsHead);
                break;
            case ("PURGE", _):
                int removed = _proxy.Purge(request);
                Write(writer, removed > 0 ? 200 : 404, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(removed > 0 ? $"purged {removed}\n" : "not in cache\n"));
                break;
            default:
                Write(writer, 404, "text/plain; charset=utf-8", "not found: try /proxy-stats, /metrics or /\n"u8.ToArray());
                break;
        }
    }

    private static void Write(SocketWriter writer, int status, string contentType, byte[] body, bool headOnly = false)
    {
        var headers = new HttpHeaders();
        headers.Add("Content-Type", contentType);
        headers.Add("Content-Length", body.Length.ToString());
        headers.Add("Cache-Control", "no-store");
        headers.Add("Connection", "close");
        HeadWriter.WriteResponseHead(Http.HttpVersion.Http11, status, HttpParseErrors.ReasonPhrase(status), headers, writer.Head);
        writer.SendHead(headOnly ? ReadOnlyMemory<byte>.Empty : body);
    }
}
