namespace InverseProxy.Http;

/// <summary>Connection-specific fields that must not be forwarded (RFC 9110 §7.6.1).</summary>
internal static class HopByHopHeaders
{
    /// <summary>Removes Connection, every field it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Connection.</summary>
    public static void Strip(HttpHeaders headers)
    {
        throw new NotImplementedException();
    }
}
