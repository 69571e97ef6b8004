using System.Net.Sockets;
using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Networking;

/// <summary>
/// A <see cref="LoopbackPair"/> whose accepted side is read by a <see cref="MessageReader"/>: tests write the peer's
/// bytes to <see cref="Client"/> and read heads and bodies through <see cref="Reader"/>.
/// </summary>
internal sealed class LoopbackReader : IDisposable
{
    private readonly LoopbackPair _pair = LoopbackPair.Open();

    public LoopbackReader()
    {
        Reader = new MessageReader(_pair.Server, HttpLimits.Default.MaxHeadBytes);
    }

    public MessageReader Reader { get; }

    /// <summary>The peer's side: what is sent here arrives at <see cref="Reader"/>.</summary>
    public Socket Client => _pair.Client;

    /// <summary>The side <see cref="Reader"/> reads from.</summary>
    public Socket Server => _pair.Server;

    public void Send(string text) => LoopbackPair.SendAll(Client, text);

    /// <summary>Sends <paramref name="text"/> and waits until all of it is buffered on the server side, so one read sees it whole.</summary>
    public void SendAndWait(string text)
    {
        Send(text);
        LoopbackPair.WaitForBytes(Server, text.Length);
    }

    /// <summary>Sends <paramref name="text"/> one byte per send on a started thread, so the reader meets every split point; join it after reading.</summary>
    public Thread SendByteByByte(string text)
    {
        var sender = new Thread(() =>
        {
            foreach (byte b in Encoding.Latin1.GetBytes(text))
            {
                Client.Send(new[] { b });
            }
        });
        sender.Start();
        return sender;
    }

    public void Dispose() => _pair.Dispose();
}
