using System.Net.Sockets;

namespace InverseProxy.FunctionalTests.TestSupport;

internal static class ConnectionClose
{
    /// <summary>
    /// True if the next read ends the stream (FIN or reset); false if a byte arrives. Unlike
    /// <see cref="RawClient.IsClosedByPeer"/>, a receive timeout is an error, not a close.
    /// </summary>
    public static bool SeesClose(this RawClient client)
    {
        try
        {
            return client.Reader.ReadByte() < 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
