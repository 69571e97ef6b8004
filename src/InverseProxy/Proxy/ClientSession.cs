using System.Net;
using InverseProxy.Http;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

/// <summary>
/// What a request handler knows of the client connection it serves. Owned by the connection's thread, which keeps
/// one session, reader and writer for every connection it serves and binds them to each in turn.
/// </summary>
internal sealed class ClientSession
{
    private ClientPeer _peer;

    public ClientSession(long id, IPEndPoint remote, MessageReader reader, SocketWriter writer)
        : this(reader, writer, id, new ClientPeer(remote))
    {
    }

    public ClientSession(MessageReader reader, SocketWriter writer, long id, ClientPeer peer)
    {
        Reader = reader;
        Writer = writer;
        Id = id;
        _peer = peer;
        Interim = new InterimRelay(this);
    }

    public long Id { get; private set; }

    public IPEndPoint Remote => _peer.Remote;

    public IPAddress RemoteAddress => _peer.Address;

    public string RemoteText => _peer.Text;

    public MessageReader Reader { get; }

    public SocketWriter Writer { get; }

    /// <summary>The reader and writer of each target connection this thread rents, kept across connections.</summary>
    public UpstreamIo Upstream { get; } = new();

    /// <summary>The effective request being served, refilled for each request.</summary>
    public ProxyRequest Request { get; } = new();

    /// <summary>The head sent upstream, refilled for each forward (see <see cref="UpstreamRequest.Build"/>).</summary>
    public RequestHead UpstreamHead { get; } = new("GET", "/", Http.HttpVersion.Http11, new HttpHeaders(24));

    /// <summary>Passes the target's 1xx responses to this client (see <see cref="InterimRelay"/>).</summary>
    public InterimRelay Interim { get; }

    /// <summary>True when the proxy answered the current request's Expect: 100-continue itself.</summary>
    public bool ContinueSent { get; set; }

    /// <summary>Set when the server is stopping: the current response says Connection: close.</summary>
    public bool Draining { get; set; }

    /// <summary>The connection's TLS session when it came to the TLS port; null on the plain port.</summary>
    public Tls.TlsSession? Tls { get; private set; }

    /// <summary>"https" on a TLS connection, else "http": the scheme of the requests it carries.</summary>
    public string Scheme => Tls is null ? "http" : "https";

    /// <summary>Serves another connection: its reader and writer must have been rebound to its socket.</summary>
    public void Rebind(long id, ClientPeer peer, Tls.TlsSession? tls = null)
    {
        Id = id;
        _peer = peer;
        Tls = tls;
        Draining = false;
    }
}
