using System.Net;
using InverseProxy.Configuration;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Demo;

/// <summary>
/// <c>--demo</c>: starts a demo origin on every loopback target of the config, then sends a few requests through
/// the proxy and prints what came back, so a new user sees it work (and the cache answer) with no other setup.
/// </summary>
internal static class DemoMode
{
    public static IDisposable StartOrigins(ProxyOptions options, ILogger logger)
    {
        var origins = new List<DemoOrigin>();
        foreach (var target in options.Targets)
        {
            if (!IsLoopback(target.Host))
            {
                continue;
            }
            try
            {
                origins.Add(DemoOrigin.StartAsync(IPAddress.Loopback, target.Port).GetAwaiter().GetResult());
            }
            catch (IOException e)
            {
                Log.DemoOriginNotStarted(logger, target.Port, e.Message);
            }
        }
        return new Origins(origins);
    }

    /// <summary>Requests /, / again (a cache hit), and /time (never cached) through the proxy, and prints the answers.</summary>
    public static void ShowItWorking(IPEndPoint proxy, TextWriter output)
    {
        string host = proxy.Address.Equals(IPAddress.Any) || proxy.Address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : proxy.Address.ToString();
        string baseUrl = $"http://{host}:{proxy.Port}";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        output.WriteLine();
        output.WriteLine($"InverseProxy demo: proxy on {baseUrl}, demo origins on the targets of proxy.conf.");
        foreach (string path in new[] { "/", "/", "/time" })
        {
            try
            {
                using var response = client.GetAsync(baseUrl + path).GetAwaiter().GetResult();
                string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim();
                string cache = response.Headers.TryGetValues("X-Cache", out var values) ? string.Join(",", values) : "-";
                output.WriteLine($"  GET {path,-6} -> {(int)response.StatusCode} X-Cache: {cache,-4} {body}");
            }
            catch (HttpRequestException e)
            {
                output.WriteLine($"  GET {path} failed: {e.Message}");
            }
        }
        output.WriteLine();
        output.WriteLine("Try it yourself (Ctrl+C stops the proxy):");
        output.WriteLine($"  curl -i {baseUrl}/            # cached for 30 s: X-Cache: HIT after the first request");
        output.WriteLine($"  curl -i {baseUrl}/time        # Cache-Control: no-store, always forwarded");
        output.WriteLine($"  curl -i {baseUrl}/big?kb=512  # a 512 KB body");
        output.WriteLine($"  curl -i -d hello {baseUrl}/echo");
        output.WriteLine();
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private sealed class Origins : IDisposable
    {
        private readonly List<DemoOrigin> _origins;

        public Origins(List<DemoOrigin> origins)
        {
            _origins = origins;
        }

        public void Dispose()
        {
            foreach (var origin in _origins)
            {
                origin.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
