using System.Runtime.Versioning;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Deploy;

/// <summary>deploy/install.sh --tls-dir into a temporary DESTDIR: certificate and key files placed before the check.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public InstallScriptTlsTests()
    {
        // The release's --check records which certificate files it could see beside the config it was given.
        _dir.WriteFile("bundle/InverseProxy", """
            #!/bin/sh
            ls "$(dirname "$2")/tls" >"$STUB_CALLS.seen"
            """, executable: true);
        _dir.WriteFile("proxy.conf", "port = 9090\ntargets = 127.0.0.1:3000\ntls_port = 9443\ntls_certificate = tls/site.pem\ntls_key = tls/site.key\n");
        _dir.WriteFile("upload/site.pem", "certificate");
        _dir.WriteFile("upload/site.key", "key");
        foreach (var program in new[] { "systemctl", "useradd", "journalctl" })
        {
            _dir.WriteFile("bin/" + program, "#!/usr/bin/env bash\n", executable: true);
        }
    }

    private string Root => _dir.Combine("root");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Install_WithTlsDir_PlacesEachFileUnderEtcTls_ReadableByOwnerAndGroupOnly_BeforeTheCheck()
    {
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
}
