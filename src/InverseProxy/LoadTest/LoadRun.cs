using System.Net;

namespace InverseProxy.LoadTest;

/// <summary>
/// One load test: <see cref="LoadTestPlan.Connections"/> loops, each sending its next request as soon as the last
/// response has been read, over an HttpClient whose pool holds exactly that many keep-alive HTTP/1.1 connections,
/// until <see cref="LoadTestPlan.Duration"/> has passed. Progress may be read from any thread while it runs.
/// </summary>
internal sealed class LoadRun
{
    /// <summary>One request may take this long before it counts as an error.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly LoadTestPlan _plan;
    private long _started;
    private long _requests; // Interlocked: every worker adds
    private long _errors; // Interlocked

    public LoadRun(LoadTestPlan plan, TimeProvider time)
    {
        _plan = plan;
        Time = time;
    }

    public TimeProvider Time { get; }

    public LoadTestPlan Plan => _plan;

    public LoadTestProgress Progress()
    {
        var elapsed = Volatile.Read(ref _started) == 0 ? TimeSpan.Zero : Time.GetElapsedTime(Volatile.Read(ref _started));
        return new LoadTestProgress(elapsed < _plan.Duration ? elapsed : _plan.Duration, _plan.Duration, Interlocked.Read(ref _requests), Interlocked.Read(ref _errors));
    }

    public async Task<LoadTestResult> RunAsync(CancellationToken cancel)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = _plan.Connections,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var client = new HttpClient(handler) { Timeout = RequestTimeout };
        var workers = Enumerable.Range(0, _plan.Connections).Select(_ => new LoadWorker(this)).ToArray();
        Volatile.Write(ref _started, Time.GetTimestamp());
        using var deadline = new CancellationTokenSource(_plan.Duration, Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.LoopAsync(client, stop.Token), CancellationToken.None))).ConfigureAwait(false);
        return Summarise(workers, Time.GetElapsedTime(_started));
    }

    internal HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(_plan.Method), _plan.Url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (_plan.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
        }
        foreach (var (name, value) in _plan.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value); // Content-Type and the like
            }
        }
        return request;
    }

    internal void Completed() => Interlocked.Increment(ref _requests);

    internal void Failed() => Interlocked.Increment(ref _errors);

    private LoadTestResult Summarise(LoadWorker[] workers, TimeSpan elapsed)
    {
        var latencies = new LatencyHistogram();
        var statuses = new SortedDictionary<int, long>();
        foreach (var worker in workers)
        {
            latencies.Add(worker.Latencies);
            foreach (var (status, count) in worker.Statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + count;
            }
        }
        return new LoadTestResult(elapsed, latencies.Count, Interlocked.Read(ref _errors), statuses,
            latencies.Percentile(0.50), latencies.Percentile(0.90), latencies.Percentile(0.99));
    }
}
