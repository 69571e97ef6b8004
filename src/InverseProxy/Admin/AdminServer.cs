using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.Caching;
using InverseProxy.Configuration;
using InverseProxy.Http;
using InverseProxy.Logging;
using InverseProxy.Networking;
using InverseProxy.Proxy;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Admin;

/// <summary>
/// The admin listener (admin_port, loopback by default): <c>GET /proxy-stats</c> (JSON), <c>GET /metrics</c>
/// (Prometheus), <c>GET /</c> (a dashboard page that polls the JSON), <c>PURGE http://host/path</c>, and the
/// load test page: <c>GET /load-test</c>, <c>POST /load-test</c> to start one against this proxy,
/// <c>GET /load-test/status</c>.
/// One request per connection; nothing here is worth holding a thread for: a request head must arrive whole within
/// <see cref="HeadDeadline"/> of the connection, and at most <see cref="MaxConnections"/> are served at once.
/// Requests must name this listener as Host (<see cref="AdminHosts"/>); every method but GET and HEAD needs
/// admin_token when one is set.
/// </summary>
internal sealed class AdminServer : IDisposable
{
    /// <summary>Admin connections served at once; beyond them 503. A dashboard and a scraper need a few.</summary>
    public const int MaxConnections = 16;

    /// <summary>From accept to the end of the request head, however slowly the bytes come.</summary>
    public static readonly TimeSpan HeadDeadline = TimeSpan.FromSeconds(5);

    private const int TimeoutMs = 5000;
    private const string Text = "text/plain; charset=utf-8";
    private static readonly HttpLimits Limits = new(4096, 16 * 1024, 64);

    private readonly ProxyServer _proxy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IThreadStarter _threads;
    private readonly ThreadStartFailures _threadStartFailures;
    private readonly Socket _listener;
    private readonly AdminLoadTest _loadTest;
    private readonly ResponseDate _date;
    private readonly DatedAnswer _busy;
    private readonly DatedAnswer _noThread;
    private int _open; // admin connections being served; Interlocked
    private volatile bool _stopping;

    public AdminServer(IPEndPoint endPoint, ProxyServer proxy, TimeProvider time, ILogger logger, IThreadStarter threads)
    {
        _proxy = proxy;
        _time = time;
        _logger = logger;
        _threads = threads;
        _threadStartFailures = new ThreadStartFailures("admin", proxy.Metrics, logger, time);
        _loadTest = new AdminLoadTest(time, logger);
        _date = new ResponseDate(time);
        _busy = new DatedAnswer(503, "503 Service Unavailable: too many admin connections", _date);
        _noThread = new DatedAnswer(503, "503 Service Unavailable: no thread for this connection", _date);
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
        _loadTest.Dispose();
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            try
            {
                Dispatch(_listener.Accept());
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

    private void Dispatch(Socket client)
    {
        if (Interlocked.Increment(ref _open) > MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            Refuse(client, _busy.Bytes);
            return;
        }
        try
        {
            _threads.Start(new Thread(() => Serve(client)) { IsBackground = true, Name = "admin-conn" });
        }
        catch (Exception e) when (ThreadStartFailures.IsThreadShortage(e))
        {
            Interlocked.Decrement(ref _open);
            _threadStartFailures.Refused(e);
            Refuse(client, _noThread.Bytes);
        }
    }

    private static void Refuse(Socket client, byte[] answer)
    {
        try
        {
            client.Blocking = false; // a full send buffer must not stall the accept loop
            client.Send(answer);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The client could not take even the 503; closing is all that is left.
        }
        client.Dispose();
    }

    private void Serve(Socket client)
    {
        try
        {
            using (client)
            {
                client.ReceiveTimeout = TimeoutMs;
                client.SendTimeout = TimeoutMs;
                var writer = new SocketWriter(client) { Date = _date };
                try
                {
                    if (ReadHead(client) is { } request)
                    {
                        Answer(writer, request, client.LocalEndPoint as IPEndPoint);
                    }
                }
                catch (HttpParseException e)
                {
                    Write(writer, e.Error.ToStatusCode(), Text, Encoding.UTF8.GetBytes(e.Error + "\n"));
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
                {
                    // An admin client that went away, or ran out of time to send its head, needs no answer.
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>Reads the head; a client still sending it at <see cref="HeadDeadline"/> is cut off.</summary>
    private RequestHead? ReadHead(Socket client)
    {
        using var deadline = _time.CreateTimer(static s => CutOff((Socket)s!), client, HeadDeadline, Timeout.InfiniteTimeSpan);
        return new MessageReader(client, Limits.MaxHeadBytes).ReadRequestHead(Limits);
    }

    private static void CutOff(Socket client)
    {
        try
        {
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already answered and closed.
        }
    }

    private void Answer(SocketWriter writer, RequestHead request, IPEndPoint? local)
    {
        if (!AdminHosts.IsAllowed(request.Headers.Get("Host"), _proxy.Config.Options.AdminBindAddress, local?.Address))
        {
            // RFC 9110 §15.5.20: this listener does not answer for that authority.
            Write(writer, 421, Text, "the admin listener answers to localhost, a loopback address or its own address as Host\n"u8.ToArray());
            return;
        }
        if (request.Method is not ("GET" or "HEAD") && !AdminToken.Accepts(_proxy.Config.Options.AdminToken, request.Headers.Get("Authorization")))
        {
            // RFC 6750 §3: the challenge names the scheme the client must use.
            Write(writer, 401, Text, "admin_token required: Authorization: Bearer <token>\n"u8.ToArray(), challenge: true);
            return;
        }
        string[] target = request.Target.Split('?', 2);
        string path = target[0];
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
            case ("GET" or "HEAD", "/load-test"):
                Write(writer, 200, "text/html; charset=utf-8", LoadTestPage.Page, request.IsHead);
                break;
            case ("GET" or "HEAD", "/load-test/status"):
                Write(writer, 200, "application/json", LoadTestStatus(), request.IsHead);
                break;
            case ("POST", "/load-test"):
                StartLoadTest(writer, request, target.Length > 1 ? target[1] : "");
                break;
            case ("GET" or "HEAD", "/favicon.ico" or "/favicon.svg"):
                Write(writer, 200, "image/svg+xml", Dashboard.Icon, request.IsHead);
                break;
            case ("PURGE", _):
                Purge(writer, request);
                break;
            default:
                Write(writer, 404, Text, "not found: try /proxy-stats, /metrics, /load-test or /\n"u8.ToArray());
                break;
        }
    }

    /// <summary>
    /// The entry is named by the absolute-form target: the Host header names this listener, not the site. The URL is
    /// read as the proxy port reads a request's, so the entry of the site it routes to goes.
    /// </summary>
    private void Purge(SocketWriter writer, RequestHead request)
    {
        if (!request.Target.Contains("://", StringComparison.Ordinal))
        {
            Write(writer, 400, Text, "name the entry by its absolute URL: PURGE http://host/path\n"u8.ToArray());
            return;
        }
        int removed = _proxy.Purge(request);
        Write(writer, removed > 0 ? 200 : 404, Text, Encoding.UTF8.GetBytes(removed > 0 ? $"purged {removed}\n" : "not in cache\n"));
    }

    /// <summary>
    /// Starts the one load test against this proxy's own port. A page of another origin may send a form POST here
    /// without a preflight, so a request that names a different Origin is refused (the Fetch standard's CSRF guard).
    /// </summary>
    private void StartLoadTest(SocketWriter writer, RequestHead request, string query)
    {
        if (request.Headers.Get("Origin") is { } origin && !SameOrigin(origin, request.Headers.Get("Host")))
        {
            Write(writer, 403, Text, "a load test may only be started from the dashboard's own origin\n"u8.ToArray());
            return;
        }
        var options = _proxy.Config.Options;
        var (parsed, error) = LoadTestRequest.Parse(query, options.AdminLoadTestConnections, options.AdminLoadTestDuration);
        if (parsed is null)
        {
            Write(writer, 400, Text, Encoding.UTF8.GetBytes(error + "\n"));
            return;
        }
        if (!_loadTest.TryStart(parsed, _proxy.LocalEndPoint))
        {
            Write(writer, 409, Text, "a load test is already running\n"u8.ToArray());
            return;
        }
        Write(writer, 202, "application/json", LoadTestStatus());
    }

    private byte[] LoadTestStatus()
    {
        var options = _proxy.Config.Options;
        return _loadTest.StatusJson(options.AdminLoadTestConnections, options.AdminLoadTestDuration, options.AdminToken.Length > 0);
    }

    private static bool SameOrigin(string origin, string? host) =>
        host is not null && string.Equals(origin, "http://" + host, StringComparison.OrdinalIgnoreCase);

    private static void Write(SocketWriter writer, int status, string contentType, byte[] body, bool headOnly = false, bool challenge = false)
    {
        var headers = new HttpHeaders();
        headers.Add("Content-Type", contentType);
        headers.Add("Content-Length", body.Length.ToString());
        headers.Add("Cache-Control", "no-store");
        if (challenge)
        {
            headers.Add("WWW-Authenticate", "Bearer realm=\"inverseproxy-admin\"");
        }
        headers.Add("Connection", "close");
        writer.Date?.AddIfMissing(headers);
        HeadWriter.WriteResponseHead(Http.HttpVersion.Http11, status, HttpParseErrors.ReasonPhrase(status), headers, writer.Head);
        writer.SendHead(headOnly ? ReadOnlyMemory<byte>.Empty : body);
    }
}
