namespace InverseProxy.Tests.Deploy;

/// <summary>The shipped systemd unit template, deploy/inverseproxy.service.</summary>
public sealed class ServiceUnitTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepoRoot.File("deploy/inverseproxy.service"));

    [Theory]
    [InlineData("User=inverseproxy")]
    [InlineData("Group=inverseproxy")]
    [InlineData("ExecStart=/opt/inverseproxy/InverseProxy --config /etc/inverseproxy/proxy.conf")]
    [InlineData("ExecReload=/bin/kill -HUP $MAINPID")]
    [InlineData("WorkingDirectory=/var/lib/inverseproxy")]
    [InlineData("Restart=on-failure")]
    [InlineData("KillSignal=SIGTERM")]
    [InlineData("LimitNOFILE=65536")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=true")]
    [InlineData("PrivateTmp=true")]
    [InlineData("NoNewPrivileges=true")]
    [InlineData("ReadWritePaths=/var/lib/inverseproxy /var/log/inverseproxy")]
    [InlineData("Environment=DOTNET_gcServer=0")]
    [InlineData("WantedBy=multi-user.target")]
    public void Unit_RequiredDirective_IsPresent(string directive)
    {
        Assert.Contains(directive, Lines);
    }

    [Fact]
    public void Unit_TimeoutStopSec_LeavesTimeForDrainAndFinalCacheWrite()
    {
        var value = Assert.Single(Lines, line => line.StartsWith("TimeoutStopSec=", StringComparison.Ordinal));

        // shutdown_timeout defaults to 10 s; the final cache write comes after it.
        Assert.True(int.Parse(value["TimeoutStopSec=".Length..]) >= 60, value);
    }

    [Fact]
    public void Unit_MemoryDenyWriteExecute_IsAbsentBecauseTheJitNeedsIt()
    {
        Assert.DoesNotContain(Lines, line => line.StartsWith("MemoryDenyWriteExecute", StringComparison.Ordinal));
    }
}
