using System.Runtime.Versioning;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Deploy;

/// <summary>deploy/install.sh into a temporary DESTDIR: the tree it lays out, the rewritten paths, upgrades.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests : IDisposable
{
    private const string Config = """
        # deployed settings
        port = 9090
        targets = 127.0.0.1:3000
        path_to_persistence = state/cache.bin
          path_to_log=logs/proxy.log
        """;

    // Would record any attempt to touch the real system: none is allowed with DESTDIR set.
    private const string SystemStub = """
        #!/usr/bin/env bash
        printf '%s %s\n' "$(basename "$0")" "$*" >>"$STUB_CALLS"
        """;

    private readonly TempDirectory _dir = new();

    public InstallScriptTests()
    {
        _dir.WriteFile("bundle/InverseProxy", "#!/bin/sh\necho release-1\n", executable: true);
        _dir.WriteFile("bundle/InverseProxy.dll", "release-1");
        _dir.WriteFile("proxy.conf", Config);
        foreach (var program in new[] { "systemctl", "useradd", "journalctl" })
        {
            _dir.WriteFile("bin/" + program, SystemStub, executable: true);
        }
    }

    private string Root => _dir.Combine("root");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("opt/inverseproxy/InverseProxy")]
    [InlineData("opt/inverseproxy/InverseProxy.dll")]
    [InlineData("etc/inverseproxy/proxy.conf")]
    [InlineData("etc/systemd/system/inverseproxy.service")]
    public void Install_IntoDestDir_PlacesFile(string relativePath)
    {
        AssertSucceeded(Install());

        Assert.True(File.Exists(Path.Combine(Root, relativePath)), relativePath);
    }

    [Fact]
    public void Install_IntoDestDir_CreatesStateAndLogDirectoriesAndExecutableBinary()
    {
        AssertSucceeded(Install());

        Assert.True(Directory.Exists(Path.Combine(Root, "var/lib/inverseproxy")));
        Assert.True(Directory.Exists(Path.Combine(Root, "var/log/inverseproxy")));
        var mode = File.GetUnixFileMode(Path.Combine(Root, "opt/inverseproxy/InverseProxy"));
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute) && mode.HasFlag(UnixFileMode.OtherExecute), mode.ToString());
    }

    [Fact]
    public void Install_IntoDestDir_NeverCallsSystemctlOrUseradd()
    {
        var result = Install();

        AssertSucceeded(result);
        Assert.False(File.Exists(_dir.Combine("calls.log")), "system commands ran: " + ReadCalls());
        Assert.Contains("would create system user", result.StdOut);
    }

    [Fact]
    public void Install_IntoDestDir_RewritesPersistenceAndLogPathsUnderDestDir()
    {
        AssertSucceeded(Install());

        var lines = File.ReadAllLines(Path.Combine(Root, "etc/inverseproxy/proxy.conf"));
        Assert.Contains($"path_to_persistence = {Root}/var/lib/inverseproxy/cache.bin", lines);
        Assert.Contains($"path_to_log = {Root}/var/log/inverseproxy/proxy.log", lines);
        Assert.Single(lines, line => line.Contains("path_to_persistence", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("path_to_log", StringComparison.Ordinal));
        Assert.Contains("port = 9090", lines);
        Assert.Contains("targets = 127.0.0.1:3000", lines);
    }

    [Fact]
    public void Install_ConfigWithoutPathKeys_AddsThemBeforeAnySection()
    {
        _dir.WriteFile("proxy.conf", "port = 9090\n[extra]\nkey = 1\n");

        AssertSucceeded(Install());

        var lines = File.ReadAllLines(Path.Combine(Root, "etc/inverseproxy/proxy.conf")).ToList();
        var section = lines.IndexOf("[extra]");
        Assert.InRange(lines.FindIndex(line => line.StartsWith("path_to_persistence = ", StringComparison.Ordinal)), 0, section - 1);
        Assert.InRange(lines.FindIndex(line => line.StartsWith("path_to_log = ", StringComparison.Ordinal)), 0, section - 1);
    }

    [Fact]
    public void Install_IntoDestDir_UnitPathsArePrefixedByDestDir()
    {
        AssertSucceeded(Install());

        var unit = File.ReadAllLines(Path.Combine(Root, "etc/systemd/system/inverseproxy.service"));
        Assert.Contains($"ExecStart={Root}/opt/inverseproxy/InverseProxy --config {Root}/etc/inverseproxy/proxy.conf", unit);
        Assert.Contains($"WorkingDirectory={Root}/var/lib/inverseproxy", unit);
        Assert.Contains($"ReadWritePaths={Root}/var/lib/inverseproxy {Root}/var/log/inverseproxy", unit);
    }

    [Fact]
    public void Install_SecondRun_ReplacesBinaryAndKeepsCacheFile()
    {
        AssertSucceeded(Install());
        var cache = Path.Combine(Root, "var/lib/inverseproxy/cache.bin");
        File.WriteAllText(cache, "warm entries");
        _dir.WriteFile("bundle/InverseProxy", "#!/bin/sh\necho release-2\n", executable: true);

        AssertSucceeded(Install());

        Assert.Equal("warm entries", File.ReadAllText(cache));
        Assert.Contains("release-2", File.ReadAllText(Path.Combine(Root, "opt/inverseproxy/InverseProxy")));
        Assert.False(Directory.Exists(Path.Combine(Root, "opt/inverseproxy.old")));
        Assert.False(Directory.Exists(Path.Combine(Root, "opt/inverseproxy.new")));
    }

    [Fact]
    public void Install_NewReleaseRejectsConfig_FailsAndReplacesNothing()
    {
        AssertSucceeded(Install());
        var installedConfig = File.ReadAllText(Path.Combine(Root, "etc/inverseproxy/proxy.conf"));
        _dir.WriteFile("bundle/InverseProxy", """
            #!/bin/sh
            case "$*" in *--check*) echo "targets: no such key in release-2" >&2; exit 2 ;; esac
            echo release-2
            """, executable: true);
        _dir.WriteFile("proxy.conf", "port = 9191\ntargets = 127.0.0.1:3000\n");

        var result = Install();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("targets: no such key in release-2", result.StdErr);
        Assert.Contains("--check failed", result.StdErr);
        Assert.Contains("release-1", File.ReadAllText(Path.Combine(Root, "opt/inverseproxy/InverseProxy")));
        Assert.Equal(installedConfig, File.ReadAllText(Path.Combine(Root, "etc/inverseproxy/proxy.conf")));
        Assert.False(Directory.Exists(Path.Combine(Root, "opt/inverseproxy.new")));
        Assert.Single(Directory.GetFiles(Path.Combine(Root, "etc/inverseproxy")));
    }

    [Fact]
    public void Install_NewReleaseChecksTheConfigWithInstalledPaths()
    {
        _dir.WriteFile("bundle/InverseProxy", """
            #!/bin/sh
            printf '%s\n' "$@" >"$STUB_CALLS.args"
            cat "$2" >"$STUB_CALLS.conf"
            """, executable: true);

        AssertSucceeded(Install());

        var args = File.ReadAllLines(_dir.Combine("calls.log.args"));
        Assert.Equal("--check", args[^1]);
        Assert.Contains($"path_to_log = {Root}/var/log/inverseproxy/proxy.log", File.ReadAllLines(_dir.Combine("calls.log.conf")));
    }

    [Fact]
    public void Install_SecondRun_KeepsThePreviousReleaseAndConfig()
    {
        AssertSucceeded(Install());
        _dir.WriteFile("bundle/InverseProxy", "#!/bin/sh\necho release-2\n", executable: true);
        _dir.WriteFile("proxy.conf", "port = 9191\ntargets = 127.0.0.1:3000\n");

        AssertSucceeded(Install());

        Assert.Contains("release-1", File.ReadAllText(Path.Combine(Root, "opt/inverseproxy.previous/InverseProxy")));
        Assert.Contains("port = 9090", File.ReadAllLines(Path.Combine(Root, "etc/inverseproxy/proxy.conf.previous")));
        Assert.Contains("port = 9191", File.ReadAllLines(Path.Combine(Root, "etc/inverseproxy/proxy.conf")));
        Assert.True(File.Exists(Path.Combine(Root, "etc/inverseproxy/inverseproxy.service.previous")));
    }

    [Fact]
    public void Install_WithSeedCache_PlacesItAsTheCacheFile()
    {
        AssertSucceeded(Install());
        File.WriteAllText(Path.Combine(Root, "var/lib/inverseproxy/cache.bin"), "old entries");
        var seed = _dir.WriteFile("seed.bin", "entries from another host");

        AssertSucceeded(Install("--seed-cache", seed));

        Assert.Equal("entries from another host", File.ReadAllText(Path.Combine(Root, "var/lib/inverseproxy/cache.bin")));
    }

    [Fact]
    public void Install_BundleWithoutExecutable_FailsAndInstallsNothing()
    {
        File.Delete(_dir.Combine("bundle/InverseProxy"));

        var result = Install();

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("no executable InverseProxy", result.StdErr);
        Assert.False(Directory.Exists(Root));
    }

    [Fact]
    public void Install_WithTlsDir_PlacesEachFileUnderEtcTls_ReadableByOwnerAndGroupOnly_BeforeTheCheck()
    {
        // The release's --check records which certificate files it could see beside the config it was given.
        _dir.WriteFile("bundle/InverseProxy", """
            #!/bin/sh
            ls "$(dirname "$2")/tls" >"$STUB_CALLS.seen"
            """, executable: true);
        _dir.WriteFile("proxy.conf", "port = 9090\ntargets = 127.0.0.1:3000\ntls_port = 9443\ntls_certificate = tls/site.pem\ntls_key = tls/site.key\n");
        _dir.WriteFile("upload/site.pem", "certificate");
        _dir.WriteFile("upload/site.key", "key");

        var result = Install("--tls-dir", _dir.Combine("upload"));

        Assert.True(result.ExitCode == 0, result.ToString());
        string tls = Path.Combine(Root, "etc/inverseproxy/tls");
        Assert.Equal("key", File.ReadAllText(Path.Combine(tls, "site.key")));
        Assert.Equal("certificate", File.ReadAllText(Path.Combine(tls, "site.pem")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(tls, "site.key")));
        Assert.Equal(["site.key", "site.pem"], File.ReadAllLines(_dir.Combine("calls.log.seen")));
    }

    private ScriptResult Install(params string[] extra)
    {
        string[] args =
        [
            "--bundle", _dir.Combine("bundle"),
            "--config", _dir.Combine("proxy.conf"),
            "--unit", RepoRoot.File("deploy/inverseproxy.service"),
            .. extra,
        ];
        var environment = new Dictionary<string, string>
        {
            ["DESTDIR"] = Root,
            ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["STUB_CALLS"] = _dir.Combine("calls.log"),
        };
        return Bash.Run(RepoRoot.File("deploy/install.sh"), args, _dir.Path, environment);
    }

    private string ReadCalls() => File.Exists(_dir.Combine("calls.log")) ? File.ReadAllText(_dir.Combine("calls.log")) : "";

    private static void AssertSucceeded(ScriptResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
