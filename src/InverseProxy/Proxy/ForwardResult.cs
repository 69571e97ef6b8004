using InverseProxy.Http;
using InverseProxy.Upstream;

namespace InverseProxy.Proxy;

/// <summary>The outcome of sending one request upstream: a response head on a live connection, or where it broke.</summary>
internal readonly record struct ForwardResult(ForwardError Error, UpstreamConnection? Connection, ResponseHead? Response, string? Detail)
{
    public bool Succeeded => Error == ForwardError.None;

    public static ForwardResult Failed(ForwardError error, string? detail) => new(error, null, null, detail);
}
