namespace WsLoad;

// WsLoad serve PORT
//     RFC 6455 echo origin on 127.0.0.1:PORT: every message comes back as it arrived; a plain GET gets 200 "ok".
// WsLoad load URL TUNNELS SECONDS [SIZE] [SOURCES] [CPU_PIDS]
//     Opens TUNNELS WebSocket connections to URL (ws://127.0.0.1:PORT/path), then for SECONDS sends SIZE-byte
//     messages on each, one in flight per tunnel, checks every echo and prints one WS_RESULT line.
//     SOURCES spreads client sockets over 127.0.0.1 .. 127.0.0.SOURCES (each has its own ephemeral port range);
//     CPU_PIDS (comma-separated) are processes whose utime + stime is read at the start and end of the timed window.
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["serve", var port] => EchoServer.Run(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
                ["load", var url, var tunnels, var seconds, .. var rest] => LoadClient.Run(LoadSettings.Parse(url, tunnels, seconds, rest)),
                _ => Usage(),
            };
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"WsLoad: {e.Message}");
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: WsLoad serve PORT | WsLoad load URL TUNNELS SECONDS [SIZE] [SOURCES] [CPU_PIDS]");
        return 2;
    }
}
