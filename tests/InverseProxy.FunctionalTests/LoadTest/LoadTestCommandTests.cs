using System.Text.RegularExpressions;
using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.LoadTest;

/// <summary><c>InverseProxy loadtest</c> run as its own process against a real proxy and a scripted origin.</summary>
public sealed partial class LoadTestCommandTests : IDisposable
{
    private readonly ScriptedOrigin _origin = new(r => r.Target == "/missing"
        ? new OriginResponse { Status = 404, Reason = "Not Found", Headers = [new("Cache-Control", "no-store")] }
        : OriginResponse.Text("load " + r.Message.BodyText, ("Cache-Control", "no-store")));

    private readonly ProxyInstance _proxy;

    public LoadTestCommandTests()
    {
        _proxy = ProxyInstance.Start(_origin.Port);
    }

    [Fact]
    public void Loadtest_ThroughProxy_ResultMatchesTheOriginsCount()
    {
        using var run = ProxyProcess.Run("loadtest", $"{_proxy.BaseUrl}/page", "--connections", "4", "--duration", "3s", "--header", "X-Load: yes");

        Assert.True(run.ExitCode == 0, run.Output);
        long ok = long.Parse(StatusLine().Match(run.StdOut).Groups[1].Value);
        Assert.True(ok > 0, run.StdOut);
        Assert.Matches(@"requests +\d+ in \d+\.\d+s, \d+\.\d req/s", run.StdOut);
        Assert.Matches(@"latency +p50 \d+\.\d{3} ms, p90 \d+\.\d{3} ms, p99 \d+\.\d{3} ms", run.StdOut);
        Assert.Contains("errors     0\n", run.StdOut);
        Assert.Contains("loadtest: GET", run.StdErr);
        Assert.Matches(@"loadtest: \d+s of 3s, \d+ requests \(\d+ req/s\), 0 errors", run.StdErr);
        // Requests cut off at the deadline reached the origin but are not counted as answered.
        Assert.InRange(_origin.RequestCount, ok, ok + 4);
        Assert.All(_origin.Requests, r => Assert.Equal("yes", r.Header("X-Load")));
        Assert.InRange(_proxy.Server.Metrics.AcceptedConnections, 1, 4); // keep-alive: one connection per loop
    }

    [Fact]
    public void Loadtest_PostWithBodyFile_EveryRequestCarriesIt()
    {
        string body = Path.Combine(_proxy.Directory, "body.txt");
        File.WriteAllText(body, "a=1&b=2");

        using var run = ProxyProcess.Run("loadtest", $"{_proxy.BaseUrl}/form", "--connections", "2", "--duration", "3s", "--method", "POST", "--body", body);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.NotEmpty(_origin.Requests);
        Assert.All(_origin.Requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("a=1&b=2", r.Message.BodyText);
        });
    }

    [Fact]
    public void Loadtest_StatusesOtherThan200_CountedByStatus()
    {
        using var run = ProxyProcess.Run("loadtest", $"{_proxy.BaseUrl}/missing", "--connections", "1", "--duration", "3s");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"status 404 [1-9]\d*\n", run.StdOut);
        Assert.DoesNotContain("status 200", run.StdOut);
    }

    [Fact]
    public void Loadtest_BadArgument_OneLineNamingItAndExit2()
    {
        using var run = ProxyProcess.Run("loadtest", $"{_proxy.BaseUrl}/", "--connections", "many");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["inverseproxy: loadtest: --connections must be a whole number from 1 to 1000 (was 'many')"], run.StdErrLines);
        Assert.Equal(0, _origin.RequestCount);
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _origin.Dispose();
    }

    [GeneratedRegex(@"status 200 (\d+)\n")]
    private static partial Regex StatusLine();
}
