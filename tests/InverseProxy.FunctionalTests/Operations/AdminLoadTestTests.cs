using System.Text.Json;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

/// <summary>POST /load-test on the admin port: a bounded load test against this proxy's own port.</summary>
public sealed class AdminLoadTestTests : IDisposable
{
    private readonly ScriptedOrigin _origin = new(r => OriginResponse.Text("load", ("Cache-Control", "no-store")));
    private readonly int _adminPort = UnusedPort.Find();
    private ProxyInstance? _proxy;

    [Fact]
    public void Start_WithinLimits_RunsAgainstThisProxyAndReportsTheResult()
    {
        Start();

        var started = Admin("POST /load-test?path=/page%3Fx%3D1&host=load.test&connections=3&duration=3s HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(202, started.Status());
        using var status = WaitUntilFinished();
        var root = status.RootElement;
        var run = root.GetProperty("run");
        Assert.Equal($"http://127.0.0.1:{_proxy!.Port}/page?x=1", run.GetProperty("url").GetString());
        Assert.Equal("load.test", run.GetProperty("host").GetString());
        Assert.Equal(3, run.GetProperty("connections").GetInt32());
        var result = root.GetProperty("result");
        long answered = result.GetProperty("statuses").GetProperty("200").GetInt64();
        Assert.True(answered > 0);
        Assert.Equal(answered, result.GetProperty("requests").GetInt64());
        Assert.Equal(0, result.GetProperty("errors").GetInt64());
        Assert.True(result.GetProperty("p99_ms").GetDouble() >= result.GetProperty("p50_ms").GetDouble());
        Assert.InRange(_origin.RequestCount, answered, answered + 3);
        Assert.All(_origin.Requests, r =>
        {
            Assert.Equal("/page?x=1", r.Target);
            Assert.Equal("load.test", r.Header("Host"));
        });
        Assert.True(Poll.Until(() => _proxy.ReadLog().Any(l => l.Contains($"admin: load test finished: {answered} responses", StringComparison.Ordinal))));
        Assert.Contains(_proxy.ReadLog(), l => l.Contains($"admin: load test started: GET http://127.0.0.1:{_proxy.Port}/page?x=1 Host load.test, 3 connections for 3s", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("connections=51", "connections must be a whole number from 1 to 50 (admin_loadtest_connections) (was '51')")]
    [InlineData("duration=31s", "duration must be from 1s to 30s (admin_loadtest_duration) (was '31s')")]
    [InlineData("path=http://elsewhere.example/", "path must start with a single / and be printable ASCII of at most 2048 characters (was 'http://elsewhere.example/')")]
    [InlineData("host=a%0d%0aX:1", "host must be a host name, optionally with :port (was 'a\\r\\nX:1')")]
    public void Start_BeyondLimitsOrElsewhere_400NamingTheParameter(string query, string error)
    {
        Start();

        var response = Admin($"POST /load-test?{query} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(400, response.Status());
        Assert.Equal(error + "\n", response.BodyText);
        Assert.Equal("idle", Status().RootElement.GetProperty("state").GetString());
        Assert.Equal(0, _origin.RequestCount);
    }

    [Fact]
    public void Start_LimitsFromConfig_Applied()
    {
        Start(o => (o.AdminLoadTestConnections, o.AdminLoadTestDuration) = (2, TimeSpan.FromSeconds(5)));

        Assert.Equal(400, Admin("POST /load-test?connections=3 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").Status());
        using var status = Status();
        Assert.Equal(2, status.RootElement.GetProperty("limits").GetProperty("connections").GetInt32());
        Assert.Equal(5, status.RootElement.GetProperty("limits").GetProperty("duration_seconds").GetDouble());
    }

    [Fact]
    public void Start_WhileOneRuns_409()
    {
        Start();
        Assert.Equal(202, Admin("POST /load-test?connections=1&duration=5s HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n").Status());

        var second = Admin("POST /load-test?connections=1&duration=1s HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(409, second.Status());
        Assert.Equal("running", Status().RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public void Start_AdminTokenSet_401WithoutItAndStartsWithIt()
    {
        Start(o => o.AdminToken = "s3cret");

        var refused = Admin("POST /load-test?duration=1s HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(401, refused.Status());
        Assert.True(Status().RootElement.GetProperty("limits").GetProperty("token_required").GetBoolean());

        var accepted = Admin("POST /load-test?duration=1s&connections=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer s3cret\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(202, accepted.Status());
    }

    [Fact]
    public void Start_FromAnotherOrigin_403()
    {
        Start();

        var response = Admin($"POST /load-test?duration=1s HTTP/1.1\r\nHost: 127.0.0.1:{_adminPort}\r\nOrigin: http://attacker.example\r\nContent-Length: 0\r\n\r\n");
        var sameOrigin = Admin($"POST /load-test?duration=1s&connections=1 HTTP/1.1\r\nHost: 127.0.0.1:{_adminPort}\r\nOrigin: http://127.0.0.1:{_adminPort}\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(403, response.Status());
        Assert.Equal(202, sameOrigin.Status());
    }

    public void Dispose()
    {
        _proxy?.Dispose();
        _origin.Dispose();
    }

    private void Start(Action<InverseProxy.Configuration.ProxyOptions>? configure = null) =>
        _proxy = ProxyInstance.Start(o =>
        {
            o.AdminPort = _adminPort;
            configure?.Invoke(o);
        }, _origin.Port);

    private JsonDocument WaitUntilFinished()
    {
        JsonDocument? last = null;
        Assert.True(Poll.Until(() =>
        {
            last?.Dispose();
            last = Status();
            return last.RootElement.GetProperty("state").GetString() is "finished" or "failed";
        }), "the load test did not finish");
        Assert.Equal("finished", last!.RootElement.GetProperty("state").GetString());
        return last;
    }

    private JsonDocument Status()
    {
        var response = Admin("GET /load-test/status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Assert.Equal(200, response.Status());
        return JsonDocument.Parse(response.Body);
    }

    private WireMessage Admin(string request)
    {
        using var client = new RawClient(_adminPort);
        return client.Exchange(request);
    }
}
