using System.Net;
using System.Net.Sockets;
using System.Text;
using InverseProxy.Configuration;
using InverseProxy.Metrics;
using InverseProxy.Networking;
using InverseProxy.Proxy;
using InverseProxy.Routing;
using InverseProxy.Upstream;
using Microsoft.Extensions.Logging.Abstractions;

namespace InverseProxy.Tests.Networking;

public sealed class ConnectionListenerTests : IDisposable
{
    private readonly Socket _downedTarget = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly SwitchableThreadStarter _threads = new();
    private readonly ProxyMetrics _metrics = new();
    private readonly ConnectionServices _services;
    private readonly ConnectionListener _listener;

    public ConnectionListenerTests()
    {
        // A bound port nobody listens on: a forwarded request gets 502 at once.
        _downedTarget.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new ProxyOptions
        {
            SpareThreads = 0,
            MaxConnections = 50,
            Targets = [new DnsEndPoint("127.0.0.1", ((IPEndPoint)_downedTarget.LocalEndPoint!).Port)],
        };
        var time = TimeProvider.System;
        var pool = new UpstreamPool(() => options, time);
        var registry = new DynamicTargetRegistry(pool, time, () => (options.MaxDynamicTargets, options.UpstreamIdleTimeout));
        var config = new LiveConfig(ProxyConfig.Build(options, null, pool, registry, time));
        var forwarder = new Forwarder(pool, NullLogger.Instance);
        var handler = new RequestPipeline(config, forwarder, null, NullLogger.Instance, time);
        _services = new ConnectionServices(config, handler, _metrics, new RequestLogger(null, time), NullLogger.Instance, time, _threads);
        _listener = new ConnectionListener(new IPEndPoint(IPAddress.Loopback, 0), _services);
        _listener.Start();
    }

    [Fact]
    public void Dispatch_ThreadStartRefused_503ThenClosedAndCounted()
    {
        _threads.Refusing = true;

        string answer = Exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", answer);
        Assert.Contains("Connection: close\r\n", answer);
        Assert.Matches(@"\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n", answer);
        Assert.EndsWith("no thread for this connection\n", answer);
        Assert.True(_threads.Refusals >= 1);
        Assert.Equal(1, _metrics.ThreadStartFailures);
        Assert.Equal(0, _services.LiveCount);
    }

    [Fact]
    public void Dispatch_ThreadsAvailableAgain_NextConnectionServed()
    {
        _threads.Refusing = true;
        Exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        _threads.Refusing = false;
        string answer = Exchange("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 502 ", answer);
        Assert.Equal(2, _metrics.ThreadStartFailures);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _downedTarget.Dispose();
    }

    /// <summary>Sends <paramref name="request"/> and reads until the proxy closes the connection.</summary>
    private string Exchange(string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        client.Connect(_listener.LocalEndPoint);
        client.Send(Encoding.ASCII.GetBytes(request));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = client.Receive(buffer)) > 0)
        {
            received.Write(buffer, 0, n);
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
