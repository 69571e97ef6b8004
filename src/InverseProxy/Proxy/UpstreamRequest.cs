using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// Turns a client request into the request sent to a target: hop-by-hop fields removed (RFC 9110 §7.6.1),
/// Via added (§7.6.3), X-Forwarded-For/-Proto/-Host added, absolute-form targets made origin-form, Host as sent
/// unless upstream_host overrides it.
/// </summary>
internal static class UpstreamRequest
{
    public const string ViaToken = "1.1 inverseproxy";

    private static readonly char[] PathOrQuery = ['/', '?'];

    /// <summary>
    /// Rewrites <paramref name="request"/>'s fields in place and returns the head to send. The client's method, Host
    /// and target stay readable on <paramref name="request"/> (the cache key depends on them): when either must change
    /// upstream, a separate head with copied fields is returned.
    /// </summary>
    public static RequestHead Build(RequestHead request, ClientSession client, string upstreamHost, BodyKind body = BodyKind.None)
    {
        var headers = request.Headers;
        string? host = headers.Get("Host");
        HopByHopHeaders.Strip(headers);
        if (body == BodyKind.Chunked)
        {
            // Transfer-Encoding is hop-by-hop; the streamed body stays chunked, so this hop says so again.
            headers.Add("Transfer-Encoding", "chunked");
        }
        headers.Remove("Expect");
        AppendVia(headers, request.Version);
        string? forwarded = headers.GetCombined("X-Forwarded-For");
        headers.Set("X-Forwarded-For", forwarded is null ? client.RemoteText : forwarded + ", " + client.RemoteText);
        headers.Set("X-Forwarded-Proto", "http");
        if (host is not null)
        {
            headers.Set("X-Forwarded-Host", host);
        }
        string target = OriginForm(request.Target, out string? authority);
        string? sendHost = upstreamHost.Length > 0 ? upstreamHost : authority;
        if (ReferenceEquals(target, request.Target) && sendHost is null)
        {
            return request;
        }
        var copy = headers.Clone();
        if (sendHost is not null)
        {
            copy.Set("Host", sendHost);
        }
        return new RequestHead(request.Method, target, request.Version, copy);
    }

    /// <summary>Appends this proxy to Via (RFC 9110 §7.6.3), for requests and responses alike.</summary>
    public static void AppendVia(HttpHeaders headers, HttpVersion version)
    {
        string token = version == HttpVersion.Http10 ? "1.0 inverseproxy" : ViaToken;
        string? via = headers.GetCombined("Via");
        headers.Set("Via", via is null ? token : via + ", " + token);
    }

    /// <summary>absolute-form "http://host:port/p?q" → "/p?q" with the authority returned (RFC 9112 §3.2.2).</summary>
    private static string OriginForm(string target, out string? authority)
    {
        authority = null;
        if (target.Length == 0 || target[0] == '/' || target == "*")
        {
            return target;
        }
        int schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return target;
        }
        // The path may be empty with a query following the authority: "http://h?q" is "/?q" (RFC 9112 §3.2.1).
        int pathStart = target.IndexOfAny(PathOrQuery, schemeEnd + 3);
        authority = pathStart < 0 ? target[(schemeEnd + 3)..] : target[(schemeEnd + 3)..pathStart];
        if (pathStart < 0)
        {
            return "/";
        }
        return target[pathStart] == '?' ? "/" + target[pathStart..] : target[pathStart..];
    }
}
