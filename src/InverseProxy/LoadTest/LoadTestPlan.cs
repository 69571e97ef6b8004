namespace InverseProxy.LoadTest;

/// <summary>What one load test sends: to one URL, over a fixed number of keep-alive connections, for a fixed time.</summary>
internal sealed record LoadTestPlan(Uri Url, int Connections, TimeSpan Duration)
{
    public string Method { get; init; } = "GET";

    /// <summary>The request body sent with each request; null = none.</summary>
    public byte[]? Body { get; init; }

    /// <summary>Extra request header fields, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
