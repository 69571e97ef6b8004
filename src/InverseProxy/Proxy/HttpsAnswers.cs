using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// What the proxy answers itself because of how a request arrived: 308 to https for a plain-port request when
/// redirect_to_https is on, 421 for a Host of another site than the TLS connection's server name, 501 for a tunnel
/// asked on a TLS connection. Shared by all client threads: holds no per-request state.
/// </summary>
internal sealed class HttpsAnswers
{
    private readonly ILogger _logger;

    public HttpsAnswers(ILogger logger)
    {
        _logger = logger;
    }

    /// <summary>
    /// redirect_to_https: a request on the plain port gets 308 (RFC 9110 §15.4.9: the method and body are kept on
    /// the retry) to the same host and path on tls_port. PURGE is exempt, so purges from the cache host still work.
    /// </summary>
    public static bool RedirectToHttps(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var options = request.Config.Options;
        if (client.Tls is not null || !options.RedirectToHttps || request.Method is "PURGE" or "CONNECT" || request.Host.Length == 0)
        {
            return false;
        }
        string port = options.TlsPort == 443 ? "" : ":" + options.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string location = "https://" + request.Host + port + request.PathAndQuery;
        bool close = framing.Kind != BodyKind.None;
        if (close)
        {
            outcome.KeepAlive = false;
        }
        outcome.Status = 308;
        LocalResponse.Write(client.Writer, 308, "moved to " + location, close: !outcome.KeepAlive, request.IsHead, "Location: " + location);
        return true;
    }

    /// <summary>
    /// RFC 9110 §15.5.20, §7.4: a TLS connection is made for the site its server name (SNI) routes to; a request on it
    /// for a Host of another site is answered 421 and never served with the wrong site's certificate behind it.
    /// </summary>
    public bool Misdirected(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var tls = client.Tls;
        if (tls?.SniSite is null || request.Site is null || request.Site.Name == tls.SniSite)
        {
            return false;
        }
        Log.HostNotServerName(_logger, client.Id, client.RemoteText, request.Authority, tls.ServerName!);
        LocalAnswers.Answer(client, outcome, 421, $"host '{request.Authority}' is not served on a connection made for '{tls.ServerName}'", close: framing.Kind != BodyKind.None, headOnly: request.IsHead);
        return true;
    }

    /// <summary>Tunnels pump the raw sockets; a TLS connection's bytes go through its TLS stream, so none is made on one: 501.</summary>
    public static bool TunnelRefused(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        if (client.Tls is null || (request.Method != "CONNECT" && !(request.Site?.Settings.WebSocket == true && WebSocketUpgrade.IsRequested(request.Client))))
        {
            return false;
        }
        LocalAnswers.Answer(client, outcome, 501, "tunnels (CONNECT, WebSocket) are not served on the TLS port", close: true, headOnly: request.IsHead);
        return true;
    }
}
