using InverseProxy.FunctionalTests.TestSupport;

namespace InverseProxy.FunctionalTests.Operations;

public sealed class LogFileOperationsTests
{
    [Fact]
    public void LogMaxSize_ManyRequests_KeepsExactlyLogKeepRotatedFiles()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("ops"), $"targets = 127.0.0.1:{origin.Port}", "log_max_size = 2KB", "log_keep = 2");
        string log = proxy.LogPath;

        for (int i = 0; i < 80; i++)
        {
            Assert.Equal(200, proxy.Get($"/rotate/{i:D3}/{new string('p', 40)}").Status());
        }

        Assert.True(Poll.Until(() => File.Exists(log + ".2") && LastLogLineMentions(log, "/rotate/079/"), TimeSpan.FromSeconds(10)), proxy.Output);
        Assert.True(File.Exists(log + ".1"));
        Assert.False(File.Exists(log + ".3"));
        foreach (string file in new[] { log, log + ".1", log + ".2" })
        {
            Assert.InRange(new FileInfo(file).Length, 1, 2048);
        }
    }

    [Fact]
    public void Sigusr1_AfterTheLogWasMoved_OpensANewLogWithNewLines()
    {
        using var origin = new ScriptedOrigin(r => OriginResponse.Text("x", ("Cache-Control", "no-store")));
        using var proxy = ProxyProcess.StartListening(TempDirectory.Create("ops"), $"targets = 127.0.0.1:{origin.Port}");
        string log = proxy.LogPath;
        proxy.Get("/before-move");
        Assert.True(Poll.Until(() => File.ReadAllText(log).Contains("/before-move"), TimeSpan.FromSeconds(10)));
        File.Move(log, log + ".moved");

        proxy.Signal("USR1");

        Assert.True(proxy.WaitForOutput("reopened"), proxy.Output);
        Assert.True(Poll.Until(() => File.Exists(log), TimeSpan.FromSeconds(10)));
        proxy.Get("/after-move");
        Assert.True(Poll.Until(() => File.ReadAllText(log).Contains("/after-move"), TimeSpan.FromSeconds(10)), File.ReadAllText(log));
        Assert.DoesNotContain("/before-move", File.ReadAllText(log));
        Assert.DoesNotContain("/after-move", File.ReadAllText(log + ".moved"));
    }

    private static bool LastLogLineMentions(string log, string text)
    {
        string[] lines = File.ReadAllLines(log);
        return lines.Length > 0 && lines.Any(l => l.Contains(text, StringComparison.Ordinal));
    }
}
