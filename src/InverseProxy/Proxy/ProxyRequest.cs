using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Routing;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

/// <summary>
/// The effective request, made once per request and read by every stage after: the scheme, the validated authority,
/// the path and query, the site and its targets, the configuration snapshot, and the client's head, which nothing
/// changes. The upstream head is built from it (<see cref="UpstreamRequest"/>); so are the cache key, Vary matching,
/// PURGE, invalidation, background revalidation and the access log. Owned by the connection's thread, which refills
/// the same instance for each request so that a cache hit allocates nothing.
/// </summary>
internal sealed class ProxyRequest
{
    private string? _key;
    private (string Prefix, string Authority, string Path, string Key)? _lastKey;
    private (string Field, int DefaultPort, string Authority, int HostLength)? _lastHost;

    /// <summary>The head as the client sent it; read-only.</summary>
    public RequestHead Client { get; private set; } = null!;

    public ProxyConfig Config { get; private set; } = null!;

    /// <summary>"http": the scheme of the connection the request came on.</summary>
    public string Scheme { get; private set; } = "http";

    /// <summary>host[:port] in normal form (see <see cref="Authority"/>); empty for an HTTP/1.0 request without Host.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>The host part of <see cref="Authority"/>.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The origin-form target: the path and query ("*" for OPTIONS *).</summary>
    public string PathAndQuery { get; private set; } = "/";

    /// <summary>The site chosen for the Host; null until routed, or when none claims it.</summary>
    public Site? Site { get; private set; }

    /// <summary>The targets to forward to: the site's own, or the one made from its template.</summary>
    public RoundRobinSelector? Targets { get; private set; }

    public string Method => Client.Method;

    public bool IsGet => Client.IsGet;

    public bool IsHead => Client.IsHead;

    /// <summary>The primary cache key: the site's prefix, scheme, authority, path and query.</summary>
    public string CacheKey => _key ??= DeriveKey();

    /// <summary>Fills this instance for a new request; the authority must have been validated (see <see cref="RequestAuthority"/>).</summary>
    public void Bind(RequestHead client, ProxyConfig config, string scheme, string authority, string host, string pathAndQuery)
    {
        Client = client;
        Config = config;
        Scheme = scheme;
        Authority = authority;
        Host = host;
        PathAndQuery = pathAndQuery;
        Site = null;
        Targets = null;
        _key = null;
    }

    /// <summary>
    /// What <paramref name="field"/> normalised to when this connection last sent that very string as its Host:
    /// decoded field values are shared instances (see <see cref="Http.RecentStrings"/>), so a keep-alive client
    /// repeating its Host is not validated again. A different instance, even with the same text, is.
    /// </summary>
    public bool TryRecallHost(string field, int defaultPort, out string authority, out int hostLength)
    {
        if (_lastHost is var (lastField, lastPort, lastAuthority, lastLength) && ReferenceEquals(lastField, field) && lastPort == defaultPort)
        {
            (authority, hostLength) = (lastAuthority, lastLength);
            return true;
        }
        (authority, hostLength) = ("", 0);
        return false;
    }

    /// <summary>Remembers a Host that passed validation (see <see cref="TryRecallHost"/>).</summary>
    public void RememberHost(string field, int defaultPort, string authority, int hostLength) =>
        _lastHost = (field, defaultPort, authority, hostLength);

    public void Route(Site site, RoundRobinSelector? targets)
    {
        Site = site;
        Targets = targets;
        _key = null;
    }

    /// <summary>
    /// A copy that outlives the connection's request (background revalidation), with the client head cloned and its
    /// method replaced by <paramref name="method"/>.
    /// </summary>
    public ProxyRequest Detach(string method)
    {
        var copy = new ProxyRequest();
        var head = new RequestHead(method, Client.Target, Client.Version, Client.Headers.Clone());
        copy.Bind(head, Config, Scheme, Authority, Host, PathAndQuery);
        copy.Site = Site;
        copy.Targets = Targets;
        return copy;
    }

    /// <summary>
    /// The primary key of the same URI over the other scheme (http and https are stored apart): PURGE removes both, so
    /// a purge sent to the plain port (exempt from redirect_to_https) reaches what was stored over TLS.
    /// </summary>
    public string OtherSchemeKey => Caching.CacheKey.Primary(Site?.KeyPrefix ?? "", Scheme == "https" ? "http" : "https", Authority, PathAndQuery);

    private string DeriveKey()
    {
        string prefix = Site?.KeyPrefix ?? "";
        // The same string instances give the same key: a keep-alive client asking again pays nothing.
        if (_lastKey is var (lastPrefix, lastAuthority, lastPath, lastKey)
            && ReferenceEquals(lastPrefix, prefix) && ReferenceEquals(lastAuthority, Authority) && ReferenceEquals(lastPath, PathAndQuery))
        {
            return lastKey;
        }
        string key = Caching.CacheKey.Primary(prefix, Scheme, Authority, PathAndQuery);
        _lastKey = (prefix, Authority, PathAndQuery, key);
        return key;
    }
}
