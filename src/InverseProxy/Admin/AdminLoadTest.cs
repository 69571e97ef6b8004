using System.Buffers;
using System.Net;
using System.Text.Json;
using InverseProxy.LoadTest;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Admin;

/// <summary>
/// The one load test the admin port may run at a time, always against this proxy's own listener: started by
/// <c>POST /load-test</c>, watched through <c>GET /load-test/status</c> until it finishes. Later starts are refused
/// while it runs.
/// </summary>
internal sealed class AdminLoadTest : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private LoadRun? _run; // guarded by _lock, as are the next three
    private string? _host;
    private LoadTestResult? _result;
    private string? _failure;

    public AdminLoadTest(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts <paramref name="request"/> against <paramref name="proxy"/>; false when a test is already running.</summary>
    public bool TryStart(LoadTestRequest request, IPEndPoint proxy)
    {
        var address = proxy.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : proxy.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : proxy.Address;
        var url = new Uri($"http://{new IPEndPoint(address, proxy.Port)}{request.Path}");
        var plan = new LoadTestPlan(url, request.Connections, request.Duration)
        {
            Headers = request.Host is { } host ? [new("Host", host)] : [],
        };
        var run = new LoadRun(plan, _time);
        lock (_lock)
        {
            if (_run is not null && _result is null && _failure is null)
            {
                return false;
            }
            (_run, _host, _result, _failure) = (run, request.Host, null, null);
        }
        Log.LoadTestStarted(_logger, url, request.Host ?? url.Authority, request.Connections, request.Duration.TotalSeconds);
        _ = Task.Run(() => Finish(run));
        return true;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task Finish(LoadRun run)
    {
        LoadTestResult? result = null;
        string? failure = null;
        try
        {
            result = await run.RunAsync(_stopping.Token).ConfigureAwait(false);
            Log.LoadTestFinished(_logger, result.Requests, result.RequestsPerSecond, result.P99.TotalMilliseconds, result.Errors);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e.Message; // shown on the page; the proxy itself is unaffected
            Log.LoadTestFailed(_logger, e);
        }
        lock (_lock)
        {
            if (ReferenceEquals(_run, run))
            {
                (_result, _failure) = (result, failure ?? (result is null ? "stopped" : null));
            }
        }
    }

    /// <summary>The status document: state (idle, running, finished, failed), the limits, progress and the result.</summary>
    public byte[] StatusJson(int maxConnections, TimeSpan maxDuration, bool tokenRequired)
    {
        LoadRun? run;
        string? host;
        LoadTestResult? result;
        string? failure;
        lock (_lock)
        {
            (run, host, result, failure) = (_run, _host, _result, _failure);
        }
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("state", run is null ? "idle" : failure is not null ? "failed" : result is not null ? "finished" : "running");
            json.WriteStartObject("limits");
            json.WriteNumber("connections", maxConnections);
            json.WriteNumber("duration_seconds", maxDuration.TotalSeconds);
            json.WriteBoolean("token_required", tokenRequired);
            json.WriteEndObject();
            if (run is not null)
            {
                WriteRun(json, run, host);
            }
            json.WriteString("error", failure);
            if (result is not null)
            {
                json.WriteStartObject("result");
                result.WriteJson(json);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("result");
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRun(Utf8JsonWriter json, LoadRun run, string? host)
    {
        var progress = run.Progress();
        json.WriteStartObject("run");
        json.WriteString("url", run.Plan.Url.ToString());
        json.WriteString("host", host);
        json.WriteNumber("connections", run.Plan.Connections);
        json.WriteNumber("duration_seconds", run.Plan.Duration.TotalSeconds);
        json.WriteNumber("elapsed_seconds", Math.Round(progress.Elapsed.TotalSeconds, 1));
        json.WriteNumber("requests", progress.Requests);
        json.WriteNumber("errors", progress.Errors);
        json.WriteEndObject();
    }
}
