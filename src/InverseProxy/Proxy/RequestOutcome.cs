using InverseProxy.Logging;

namespace InverseProxy.Proxy;

/// <summary>What one request/response cost and how it was answered, for the access log and the counters.</summary>
internal sealed class RequestOutcome
{
    public int Status { get; set; }

    /// <summary>Response body bytes sent to the client.</summary>
    public long BodyBytes { get; set; }

    /// <summary>The target that answered, or null when none did (cache hit, error, local answer).</summary>
    public string? Target { get; set; }

    /// <summary>What the cache did; None when it was not consulted.</summary>
    public CacheResult Cache { get; set; }

    /// <summary>Whether the client connection may carry another request.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>The site that served the request, or null when none was chosen (malformed request, 421).</summary>
    public string? Site { get; set; }

    public void Reset()
    {
        Status = 0;
        BodyBytes = 0;
        Target = null;
        Cache = CacheResult.None;
        KeepAlive = false;
        Site = null;
    }
}
