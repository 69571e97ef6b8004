using InverseProxy.Caching;
using InverseProxy.Http;
using InverseProxy.Proxy.Policy;
using InverseProxy.Routing;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Proxy;

/// <summary>
/// The request path, one stage a line (<see cref="Handle"/>): read head (done by the connection) → framing and
/// limits → validate authority (scheme http or https, from the connection) → [308 to https] → choose site and target
/// [→ 421 for a Host of another site than the TLS server name's] → local answers (Expect, PURGE, CONNECT) → [access
/// policy] → [tunnels] → cache lookup, or forward → relay → store (inside the cache stage) → log (done by the connection from
/// the outcome). Each stage reads the effective request (<see cref="ProxyRequest"/>) and one configuration snapshot.
/// Shared by all client threads: holds no per-request state.
/// </summary>
internal sealed class RequestPipeline
{
    private readonly LiveConfig _config;
    private readonly Forwarder _forwarder;
    private readonly ResponseCache? _cache;
    private readonly LocalAnswers _answers;
    private readonly ResponseRelay _relay;
    private readonly CacheStage? _cacheStage;
    private readonly TimeProvider _time;
    private readonly AccessPolicy _policy;
    private readonly Tunnel _tunnel;
    private readonly TunnelCounters _tunnels;
    private readonly ProxyAuthentication _authentication;
    private readonly HttpsAnswers _https;

    public RequestPipeline(LiveConfig config, Forwarder forwarder, ResponseCache? cache, ILogger logger, TimeProvider time)
        : this(config, forwarder, cache, logger, time, new TunnelCounters())
    {
    }

    public RequestPipeline(LiveConfig config, Forwarder forwarder, ResponseCache? cache, ILogger logger, TimeProvider time, TunnelCounters tunnels)
    {
        _config = config;
        _time = time;
        _forwarder = forwarder;
        _cache = cache is { Enabled: true } ? cache : null;
        _answers = new LocalAnswers(_cache, logger);
        _relay = new ResponseRelay(forwarder, _answers, logger);
        _policy = new AccessPolicy(logger);
        _cacheStage = _cache is null ? null
            : new CacheStage(_cache, forwarder, _relay, _answers, new Revalidator(_cache, forwarder, time, logger), time);
        _tunnels = tunnels;
        _authentication = new ProxyAuthentication(tunnels, logger, time);
        _tunnel = new Tunnel(forwarder, _relay, _answers, tunnels, logger, time);
        _https = new HttpsAnswers(logger);
    }

    /// <summary>Handles <paramref name="head"/>; throws <see cref="HttpParseException"/> for a request that must get 4xx and close.</summary>
    public void Handle(ClientSession client, RequestHead head, RequestOutcome outcome)
    {
        var config = _config.Current;
        var request = client.Request;

        var body = RequestFraming.Decide(client, head, config.Options, outcome, _time);
        RequestAuthority.Bind(request, head, config, client.Scheme);
        if (HttpsAnswers.RedirectToHttps(client, request, body.Framing, outcome))
        {
            return;
        }
        if (!ChooseSite(client, request, body.Framing, outcome) || _https.Misdirected(client, request, body.Framing, outcome))
        {
            return;
        }
        if (!LocalAnswers.Expectation(client, request, body.Framing, outcome) || _answers.TryAnswer(client, request, body.Framing, outcome))
        {
            return;
        }
        // Access policy, on the routed request: proxy authentication, then filters and rate limits.
        // Proxy authentication first: a client that has not authenticated learns nothing of the rules after it.
        if (!_authentication.Allows(client, request, body.Framing, outcome) || !_policy.Admit(client, request, body.Framing, outcome))
        {
            return;
        }
        // Tunnels (CONNECT, WebSocket upgrades) plug in here, before anything is looked up or stored.
        if (HttpsAnswers.TunnelRefused(client, request, body.Framing, outcome) || _tunnel.Serve(client, request, outcome) != TunnelResult.NotATunnel)
        {
            // Answered, or tunnelled until either side closed: nothing else to do on this request.
        }
        else if (_cacheStage is not null && CacheStage.Applies(request, body))
        {
            _cacheStage.Serve(client, request, outcome);
        }
        else
        {
            Forward(client, request, body, outcome);
        }
        if (outcome.Status >= 500)
        {
            request.Site!.Counters.RecordError();
        }
        // A body left unread would be taken for the next request.
        if (!body.IsComplete)
        {
            outcome.KeepAlive = false;
        }
    }

    /// <summary>Stage: the site for the effective Host and its target; 421 when none answers.</summary>
    private bool ChooseSite(ClientSession client, ProxyRequest request, BodyFraming framing, RequestOutcome outcome)
    {
        var site = request.Config.Sites.Route(request.Host, out string? label);
        if (ForwardRoute.Choose(request, site) is { } forward)
        {
            return ChooseDestination(client, request, forward, framing, outcome);
        }
        if (site is null)
        {
            _answers.Misdirected(client, request, framing, outcome);
            return false;
        }
        outcome.Site = site.Name;
        site.Counters.RecordRequest();
        if (site.Targets is { } targets)
        {
            request.Route(site, targets);
            return true;
        }
        string? refusal = "the host has nothing where the wildcard's * stands";
        var made = label is null ? null : site.Dynamic!.Resolve(label, out refusal);
        request.Route(site, made);
        if (made is null)
        {
            _answers.TargetRefused(client, request, refusal!, framing, outcome);
            return false;
        }
        return true;
    }

    /// <summary>Stage: CONNECT and forward-proxied requests go to the authority they name, if allowed; 403 otherwise.</summary>
    private bool ChooseDestination(ClientSession client, ProxyRequest request, Site forward, BodyFraming framing, RequestOutcome outcome)
    {
        outcome.Site = forward.Name;
        forward.Counters.RecordRequest();
        string? refusal = ForwardRoute.RefusedPort(request);
        var made = refusal is null ? forward.Dynamic!.Resolve(ForwardRoute.Destination(request), out refusal) : null;
        request.Route(forward, made);
        if (made is null)
        {
            _tunnels.DestinationRefused();
            _answers.DestinationRefused(client, request, refusal!, framing, outcome);
            return false;
        }
        return true;
    }

    /// <summary>Stages forward and relay for what the cache does not handle; a successful unsafe request invalidates.</summary>
    private void Forward(ClientSession client, ProxyRequest request, BodyReader bodyReader, RequestOutcome outcome)
    {
        var body = RequestBody.Prepare(bodyReader, request.Config.Options.RequestBufferSize);
        var upstream = UpstreamRequest.Build(request, client.RemoteText, client.UpstreamHead);
        var result = _forwarder.Forward(upstream, body, client.Upstream, request.Targets!, request.Config.Options, client.Interim);
        if (!result.Succeeded)
        {
            outcome.KeepAlive &= bodyReader.IsComplete; // an unread body would be taken for the next request
            _answers.ForwardFailed(client, request, result, outcome);
            return;
        }
        var response = result.Response!;
        // RFC 9111 §4.4: a successful unsafe request invalidates what is stored for its URI. Done before relaying,
        // so a client that has seen the response cannot then be served the entry it replaced.
        if (_cache is not null && !request.IsGet && !request.IsHead)
        {
            _cache.InvalidateAfterUnsafe(request.Method, request.CacheKey, response.StatusCode, response.Headers);
            _cache.SecondLevel?.InvalidateAfterUnsafe(request.Method, request.CacheKey, response.StatusCode, response.Headers);
        }
        _relay.Relay(client, request, result, outcome, compression: request.Site!.Compression.Plan(request.Client, response));
    }
}
