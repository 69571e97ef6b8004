using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// Builds the head sent to a target from the effective request, as a new head: the client's fields without the
/// hop-by-hop ones (RFC 9110 §7.6.1), Expect, and the forwarding fields it might have forged; then Host (the site's
/// upstream_host, else the effective authority), X-Forwarded-For/-Host/-Proto from what this proxy saw, and Via
/// (§7.6.3). The client's head is never changed. A miss, a pass-through and a background revalidation all build
/// their heads here, so they send the same request.
/// </summary>
internal static class UpstreamRequest
{
    public const string ViaToken = "1.1 inverseproxy";

    // Replaced with what this proxy knows, never passed on as the client wrote them.
    private static readonly string[] s_replaced = ["Host", "Expect", "X-Forwarded-Host", "X-Forwarded-Proto"];

    /// <summary>
    /// Fills <paramref name="into"/> (a head the calling thread reuses, or a new one) with the upstream head for
    /// <paramref name="request"/>, coming from <paramref name="clientAddress"/>. A body's framing fields are the
    /// forwarder's to set (<see cref="RequestBody.Frame"/>): Transfer-Encoding is hop-by-hop and goes here.
    /// </summary>
    public static RequestHead Build(ProxyRequest request, string clientAddress, RequestHead? into = null)
    {
        var client = request.Client;
        var head = into ?? new RequestHead(client.Method, request.PathAndQuery, HttpVersion.Http11, new HttpHeaders(client.Headers.Count + 4));
        head.Reuse(client.Method, request.PathAndQuery, HttpVersion.Http11);
        var headers = head.Headers;
        headers.Truncate(0);
        foreach (var field in client.Headers)
        {
            if (!IsOneOf(field.Name, s_replaced))
            {
                headers.Add(field.Name, field.Value);
            }
        }
        // Strip reads the client's Connection list from the copy: fields it names go too.
        HopByHopHeaders.Strip(headers);
        if (request.Site?.Settings.ProxyAuthUsers.Length > 0)
        {
            // RFC 9110 §11.7.4: credentials this proxy consumed are not relayed.
            headers.Remove("Proxy-Authorization");
        }
        if (request.Site?.Settings.WebSocket == true && WebSocketUpgrade.IsRequested(client))
        {
            // RFC 9110 §7.8: Upgrade is hop-by-hop, but a WebSocket handshake must reach the target to be answered.
            WebSocketUpgrade.AddFields(headers);
        }
        string upstreamHost = request.Site?.Settings.UpstreamHost ?? "";
        string host = upstreamHost.Length > 0 ? upstreamHost
            : request.Authority.Length > 0 ? request.Authority
            : request.Targets?.Targets[0].Name ?? "";
        headers.Add("Host", host);
        AppendVia(headers, client.Version);
        string? forwarded = headers.GetCombined("X-Forwarded-For");
        headers.Set("X-Forwarded-For", forwarded is null ? clientAddress : forwarded + ", " + clientAddress);
        headers.Add("X-Forwarded-Proto", request.Scheme);
        if (request.Authority.Length > 0)
        {
            headers.Add("X-Forwarded-Host", request.Authority);
        }
        return head;
    }

    /// <summary>Appends this proxy to Via (RFC 9110 §7.6.3), for requests and responses alike.</summary>
    public static void AppendVia(HttpHeaders headers, HttpVersion version)
    {
        string token = version == HttpVersion.Http10 ? "1.0 inverseproxy" : ViaToken;
        string? via = headers.GetCombined("Via");
        headers.Set("Via", via is null ? token : via + ", " + token);
    }

    private static bool IsOneOf(string name, string[] names)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
