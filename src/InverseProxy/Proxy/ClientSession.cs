using System.Net;
using InverseProxy.Http;

namespace InverseProxy.Proxy;

/// <summary>What a request handler knows of the client connection it serves. Owned by the connection's thread.</summary>
internal sealed class ClientSession
{
    public ClientSession(long id, IPEndPoint remote, MessageReader reader, SocketWriter writer)
    {
        Id = id;
        Remote = remote;
        RemoteAddress = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        RemoteText = RemoteAddress.ToString();
        Reader = reader;
        Writer = writer;
    }

    public long Id { get; }

    public IPEndPoint Remote { get; }

    public IPAddress RemoteAddress { get; }

    public string RemoteText { get; }

    public MessageReader Reader { get; }

    public SocketWriter Writer { get; }

    /// <summary>Set when the server is stopping: the current response says Connection: close.</summary>
    public bool Draining { get; set; }
}
