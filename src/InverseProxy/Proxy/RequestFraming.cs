using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>
/// Stage 1 of the request path: the body's framing, decided once with the smuggling rules (RFC 9112 §6.3), and its
/// bound; whether the connection may carry another request.
/// </summary>
internal static class RequestFraming
{
    /// <summary>
    /// The reader of the request's body, held to min_body_rate; throws <see cref="HttpParseException"/> (400, 413, 501)
    /// for one that must not be read.
    /// </summary>
    public static BodyReader Decide(ClientSession client, RequestHead head, ProxyOptions options, RequestOutcome outcome, TimeProvider time)
    {
        var framing = BodyFramingRules.ForRequest(head);
        if (options.MaxRequestBodyBytes > 0 && framing.Kind == BodyKind.ContentLength && framing.Length > options.MaxRequestBodyBytes)
        {
            throw new HttpParseException(HttpParseError.BodyTooLarge, $"Content-Length {framing.Length}");
        }
        outcome.KeepAlive = WantsKeepAlive(head) && !client.Draining;
        var minRate = new MinDataRate(options.MinBodyRate, options.MinBodyRateGrace, time);
        return BodyReader.For(client.Reader, framing, options.MaxRequestBodyBytes, minRate);
    }

    private static bool WantsKeepAlive(RequestHead head) =>
        head.Version == HttpVersion.Http11
            ? !HasToken(head.Headers, "close")
            : HasToken(head.Headers, "keep-alive");

    // Clients set up to use a proxy may say Proxy-Connection where they mean Connection (RFC 7230 Appendix A.1.2):
    // read the same way, and never forwarded (HopByHopHeaders).
    private static bool HasToken(HttpHeaders headers, string token)
    {
        if (HopByHopHeaders.ConnectionHasToken(headers, token))
        {
            return true;
        }
        foreach (var field in headers)
        {
            if (string.Equals(field.Name, "Proxy-Connection", StringComparison.OrdinalIgnoreCase) && HttpListElements.Contains(field.Value, token))
            {
                return true;
            }
        }
        return false;
    }
}
