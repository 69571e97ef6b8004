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
    [InlineData("RestartPreventExitStatus=2")]
    [InlineData("SystemCallFilter=@system-service")]
    [InlineData("SystemCallArchitectures=native")]
    [InlineData("ProtectProc=invisible")]
    [InlineData("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX")]
    [InlineData("CapabilityBoundingSet=CAP_NET_BIND_SERVICE")]
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
    public void Unit_ExecReload_ChecksTheConfigBeforeSendingSighup()
    {
        var reload = Lines.Where(line => line.StartsWith("ExecReload=", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            ["ExecReload=/opt/inverseproxy/InverseProxy --config /etc/inverseproxy/proxy.conf --check", "ExecReload=/bin/kill -HUP $MAINPID"],
            reload);
    }

    [SystemdAnalyzeFact]
    public void Unit_SystemdAnalyzeSecurity_ExposureAtMostTwo()
    {
        var result = Bash.RunProgram("systemd-analyze", ["security", "--offline=yes", RepoRoot.File("deploy/inverseproxy.service")], RepoRoot.Path);

        var match = System.Text.RegularExpressions.Regex.Match(result.StdOut, @"Overall exposure level for inverseproxy\.service: (\d+\.\d+)");
        Assert.True(match.Success, result.ToString());
        var exposure = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(exposure <= 2.0, $"exposure {exposure}\n{result.StdOut}");
    }

    [Fact]
    public void Unit_MemoryDenyWriteExecute_IsAbsentBecauseTheJitNeedsIt()
    {
        Assert.DoesNotContain(Lines, line => line.StartsWith("MemoryDenyWriteExecute", StringComparison.Ordinal));
    }
}
