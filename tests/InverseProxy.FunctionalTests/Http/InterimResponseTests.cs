using System.Text;
using InverseProxy.FunctionalTests.TestSupport;
using static InverseProxy.FunctionalTests.TestSupport.CacheProbe;

namespace InverseProxy.FunctionalTests.Http;

/// <summary>RFC 9110 §15.2: a target's 1xx responses reach HTTP/1.1 clients before the final one and are never stored.</summary>
public sealed class InterimResponseTests
{
    private static readonly byte[] s_hintsThenOk = Encoding.ASCII.GetBytes(
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        + "HTTP/1.1 100 Continue\r\n\r\n"
        + "HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\nContent-Length: 2\r\n\r\nok");

    [Fact]
    public void Get_TargetSends103And100_PassedToHttp11ClientNotToHttp10NorStored()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse { Raw = s_hintsThenOk });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("GET /page HTTP/1.1\r\nHost: h\r\n\r\n");
        var hints = client.ReadResponse();
        var proceed = client.ReadResponse();
        var final = client.ReadResponse();
        using var old = new RawClient(proxy.Port);
        var oldClient = old.Exchange("GET /other HTTP/1.0\r\nHost: h\r\n\r\n");
        var hit = Get(proxy.Port, "/page");

        Assert.Equal("HTTP/1.1 103 Early Hints", hints.StartLine);
        Assert.Equal("</style.css>; rel=preload", hints.Header("Link"));
        Assert.Equal("HTTP/1.1 100 Continue", proceed.StartLine);
        Assert.Equal(("HTTP/1.1 200 OK", "ok"), (final.StartLine, final.BodyText));
        Assert.Equal(("HTTP/1.1 200 OK", "ok"), (oldClient.StartLine, oldClient.BodyText));
        Assert.Equal(("HIT", "ok"), (hit.Header("X-Cache"), hit.BodyText));
        Assert.Equal(2, origin.RequestCount);
    }

    [Fact]
    public void Post_ProxySentItsOwn100_TargetsHintPassedIts100Dropped()
    {
        using var origin = new ScriptedOrigin(r => new OriginResponse { Raw = s_hintsThenOk });
        using var proxy = ProxyInstance.Start(origin.Port);
        using var client = new RawClient(proxy.Port);

        client.Send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        var own = client.ReadResponse();
        client.Send("hello");
        var hints = client.ReadResponse();
        var final = client.ReadResponse();

        Assert.Equal("HTTP/1.1 100 Continue", own.StartLine);
        Assert.Equal("HTTP/1.1 103 Early Hints", hints.StartLine);
        Assert.Equal("HTTP/1.1 200 OK", final.StartLine);
    }
}
