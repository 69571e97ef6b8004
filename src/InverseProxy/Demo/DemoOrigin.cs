using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Demo;

/// <summary>
/// A small origin server for <c>--demo</c>: one per loopback target, so the shipped proxy.conf serves real responses
/// with no other setup. Each response names its port and counts requests, which makes cache hits visible.
/// </summary>
internal sealed class DemoOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private DemoOrigin(WebApplication app)
    {
        _app = app;
    }

    public long Requests => Interlocked.Read(ref _requests);

    public static async Task<DemoOrigin> StartAsync(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        var app = builder.Build();
        var origin = new DemoOrigin(app);
        origin.MapRoutes(port);
        await app.StartAsync().ConfigureAwait(false);
        return origin;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void MapRoutes(int port)
    {
        _app.MapGet("/", (HttpContext c) => Text(c, "public, max-age=30", $"Hello from the demo origin on port {port}.\n"));
        _app.MapGet("/time", (HttpContext c) => Text(c, "no-store", $"Origin time on port {port}: {DateTimeOffset.UtcNow:O}\n"));
        _app.MapGet("/big", (HttpContext c, int? kb) =>
            Text(c, "max-age=60", new string('x', Math.Clamp(kb ?? 100, 1, 10_240) * 1024 - 1) + "\n"));
        _app.MapGet("/slow", async (HttpContext c, int? ms) =>
        {
            await Task.Delay(Math.Clamp(ms ?? 1000, 0, 60_000)).ConfigureAwait(false);
            return Text(c, "no-store", $"slow answer from port {port}\n");
        });
        _app.MapPost("/echo", async (HttpContext c) =>
        {
            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(c.Request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync().ConfigureAwait(false);
            return Results.Text($"port {port} received {Encoding.UTF8.GetByteCount(body)} bytes: {body}\n");
        });
    }

    private IResult Text(HttpContext context, string cacheControl, string body)
    {
        long n = Interlocked.Increment(ref _requests);
        context.Response.Headers.CacheControl = cacheControl;
        context.Response.Headers["X-Origin-Requests"] = n.ToString();
        return Results.Text(body, "text/plain; charset=utf-8");
    }
}
