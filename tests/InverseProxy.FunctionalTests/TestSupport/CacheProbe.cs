namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>One request per fresh connection to the proxy, for the cache tests.</summary>
internal static class CacheProbe
{
    /// <summary>Sends <paramref name="method"/> <paramref name="target"/> with Host: h and the given header lines.</summary>
    public static WireMessage Send(int port, string method, string target, params string[] headerLines)
    {
        using var client = new RawClient(port);
        string headers = string.Concat(headerLines.Select(h => h + "\r\n"));
        return client.Exchange($"{method} {target} HTTP/1.1\r\nHost: h\r\n{headers}\r\n", headRequest: method == "HEAD");
    }

    public static WireMessage Get(int port, string target, params string[] headerLines) => Send(port, "GET", target, headerLines);

    /// <summary>
    /// A GET whose response the cache is expected to store; returns once the store has landed. The proxy stores a
    /// response after writing its last byte, so on loopback the client can ask again before the entry exists.
    /// </summary>
    public static WireMessage GetStored(ProxyInstance proxy, string target, params string[] headerLines)
    {
        var cache = proxy.Server.Cache ?? throw new InvalidOperationException("the cache is off");
        long before = cache.Counters().Stores;
        var response = Get(proxy.Port, target, headerLines);
        if (!Poll.Until(() => cache.Counters().Stores > before))
        {
            throw new Xunit.Sdk.XunitException($"GET {target} was not stored: {response.StartLine}, Cache-Status {response.Header("Cache-Status")}");
        }
        return response;
    }

    /// <summary>The <c>ttl=</c> parameter of a Cache-Status field, in seconds.</summary>
    public static long CacheStatusTtl(WireMessage response)
    {
        string status = response.Header("Cache-Status") ?? throw new InvalidOperationException("no Cache-Status");
        string ttl = status.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("ttl=", StringComparison.Ordinal));
        return long.Parse(ttl["ttl=".Length..]);
    }
}
