using System.Text;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Http;

public sealed class SlowHeadTests
{
    [Fact]
    public void TrickledHead_LongerThanConnectionTimeout_Gets408EvenThoughEachByteArrivesInTime()
    {
        using var origin = new ScriptedOrigin();
        using var proxy = ProxyInstance.Start(o => o.ConnectionTimeout = TimeSpan.FromMilliseconds(600), origin.Port);
        using var client = new RawClient(proxy.Port);
        client.Send("GET / HTTP/1.1\r\n");

        // One header byte every 200 ms never trips a per-read timeout of 600 ms; the whole head must still arrive in time.
        string header = "X-Slow: " + new string('a', 40);
        bool answeredWhileTrickling = false;
        foreach (byte b in Encoding.ASCII.GetBytes(header))
        {
            using var pause = new ManualResetEventSlim(false);
            pause.Wait(200);
            try
            {
                client.Send([b]);
            }
            catch (System.Net.Sockets.SocketException)
            {
                answeredWhileTrickling = true; // the proxy closed after answering
                break;
            }
            if (client.Socket.Available > 0)
            {
                answeredWhileTrickling = true;
                break;
            }
        }
        var answer = client.ReadResponse();

        Assert.True(answeredWhileTrickling, "the proxy waited for the trickle to stop instead of bounding the whole head");
        Assert.Equal("HTTP/1.1 408 Request Timeout", answer.StartLine);
        Assert.Equal(0, origin.RequestCount);
    }
}
