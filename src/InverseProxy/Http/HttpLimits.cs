namespace InverseProxy.Http;

/// <summary>The bounds a head parse runs under; each has its own answer (414, 431).</summary>
internal readonly record struct HttpLimits(int MaxRequestLineBytes, int MaxHeadBytes, int MaxHeaderCount)
{
    public static HttpLimits Default { get; } = new(8 * 1024, 32 * 1024, 100);
}
