namespace InverseProxy.LoadTest;

/// <summary>One connection's loop and its own figures: only its task writes them, so recording takes no lock.</summary>
internal sealed class LoadWorker
{
    /// <summary>After a request that got no response, a pause so a refused target does not spin a core.</summary>
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(10);

    private readonly LoadRun _run;

    public LoadWorker(LoadRun run) => _run = run;

    public LatencyHistogram Latencies { get; } = new();

    public Dictionary<int, long> Statuses { get; } = new();

    public async Task LoopAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            long started = _run.Time.GetTimestamp();
            try
            {
                using var request = _run.NewRequest();
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
                await response.Content.CopyToAsync(Stream.Null, stop).ConfigureAwait(false);
                Latencies.Record(_run.Time.GetElapsedTime(started));
                int status = (int)response.StatusCode;
                Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
                _run.Completed();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // cut off at the end of the run: neither a response nor an error
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                _run.Failed();
                await Pause(stop).ConfigureAwait(false);
            }
        }
    }

    private async Task Pause(CancellationToken stop)
    {
        try
        {
            await Task.Delay(ErrorPause, _run.Time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
