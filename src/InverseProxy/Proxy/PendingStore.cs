using InverseProxy.Caching;
using InverseProxy.Compression;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// The store step of a response the cache may keep: what it is stored as (decided from the effective request, never
/// from anything the response says about itself), and a copy of the body as it is relayed. The relay calls
/// <see cref="Commit"/> once the body is known whole and before its last write to the client, so a client that asks
/// again the moment it has the response finds it stored. Disposed when the relay ends, however it ends, so the copy
/// gives back what it took of <c>max_capture_memory</c>.
/// </summary>
internal sealed class PendingStore : IDisposable
{
    private readonly ResponseCache _cache;
    private readonly string _primaryKey;
    private readonly RequestHead _request;
    private readonly ResponseHead _response;
    private readonly StoreDecision _decision;
    private readonly ContentCoding? _negotiated;

    /// <param name="compression">The proxy's plan for the response's coding, if it negotiates it: then the plan's
    /// head is what is stored, the captured body is the encoded one, and the variant is selected by the coding.</param>
    public PendingStore(ResponseCache cache, string primaryKey, RequestHead request, ResponseHead response, StoreDecision decision, long maxEntrySize, CompressionPlan? compression = null)
    {
        _cache = cache;
        _primaryKey = primaryKey;
        _request = request;
        _response = compression?.Head ?? response;
        _negotiated = compression?.Coding;
        _decision = decision;
        Capture = new ResponseCapture(maxEntrySize, ContentLength(_response), cache.CaptureBudget);
    }

    public ResponseCapture Capture { get; }

    /// <summary>True once the cache took the body.</summary>
    public bool Stored { get; private set; }

    private bool Committed { get; set; }

    /// <summary>Stores the captured body; once, and only when it was not cut off by the size limit.</summary>
    public void Commit()
    {
        if (Committed || Capture.Overflowed)
        {
            return;
        }
        Committed = true;
        var entry = _cache.Store(_primaryKey, _request, _response, Capture.ToArray(), _decision, _negotiated);
        Capture.Release();
        Stored = entry is not null;
        if (entry is not null)
        {
            _cache.SecondLevel?.Enqueue(entry);
        }
    }

    public void Dispose() => Capture.Release();

    private static long ContentLength(ResponseHead response) =>
        long.TryParse(response.Headers.Get("Content-Length"), out long length) ? length : -1;
}
