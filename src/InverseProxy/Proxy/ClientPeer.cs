using System.Net;

namespace InverseProxy.Proxy;

/// <summary>
/// Who is at the other end of a client connection, in the forms the handlers use. Built by the accept loop, so the
/// connection thread allocates nothing for it (see <see cref="Networking.ConnectionBuffers"/>).
/// </summary>
internal sealed class ClientPeer
{
    public ClientPeer(IPEndPoint remote)
    {
        Remote = remote;
        Address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        Text = Address.ToString();
    }

    public IPEndPoint Remote { get; }

    /// <summary>The address, an IPv4-mapped IPv6 one given as IPv4.</summary>
    public IPAddress Address { get; }

    /// <summary><see cref="Address"/> as X-Forwarded-For writes it.</summary>
    public string Text { get; }
}
