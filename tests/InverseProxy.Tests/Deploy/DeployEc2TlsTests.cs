namespace InverseProxy.Tests.Deploy;

public sealed class DeployEc2TlsTests : IDisposable
{
    private readonly DeployHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void Launch_ConfigWithTlsPort_OpensItBesideTheProxyPort()
    {
        _harness.WriteFile("work/proxy.conf", "port = 9090\ntls_port = 9443\ntargets = 10.0.0.9:3000\n");

        var result = _harness.Run("--region", "eu-west-1", "--key-name", "k", "--allow-cidr", "198.51.100.7/32");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ingress = _harness.Calls("aws").Where(call => call.Contains("authorize-security-group-ingress", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, ingress.Count);
        Assert.Contains(ingress, call => call.Contains("--port 9443 ", StringComparison.Ordinal));
        Assert.Contains($"https://{DeployHarness.PublicDns}:9443/", result.StdOut);
    }

    [Fact]
    public void Host_ConfigNamingCertificates_CopiesEachFileAndInstallsThemBeforeTheCheck()
    {
        _harness.WriteFile("work/certs/site.pem", "certificate");
        _harness.WriteFile("work/certs/site.key", "key");
        _harness.WriteFile("work/shop.pem", "shop certificate");
        _harness.WriteFile("work/shop.key", "shop key");
        _harness.WriteFile("work/proxy.conf",
            "port = 9090\ntls_port = 9443\ntls_certificate = certs/site.pem\ntls_key = certs/site.key\ntargets = 10.0.0.9:3000\n"
            + "[site:shop]\nhosts = shop.example\ntargets = 10.0.0.9:3001\ntls_certificate = shop.pem\ntls_key = \"shop.key\"\n");

        var result = _harness.Run("--host", "deploy@10.0.0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        var copy = Assert.Single(_harness.Calls("scp"), call => call.Contains("inverseproxy-deploy/tls/", StringComparison.Ordinal));
        foreach (string file in new[] { "work/certs/site.pem", "work/certs/site.key", "work/shop.pem", "work/shop.key" })
        {
            Assert.Contains(file, copy);
        }
        var config = Assert.Single(_harness.Calls("scp"), call => call.Contains("inverseproxy-deploy/proxy.conf", StringComparison.Ordinal));
        Assert.DoesNotContain("work/proxy.conf", config); // the uploaded copy names the files under tls/
        Assert.Contains(_harness.Calls("ssh"), call => call.Contains("install.sh --tls-dir inverseproxy-deploy/tls", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_ConfigNamingAMissingKey_RefusedBeforeAnythingIsCopied()
    {
        _harness.WriteFile("work/site.pem", "certificate");
        _harness.WriteFile("work/proxy.conf", "port = 9090\ntls_port = 9443\ntls_certificate = site.pem\ntls_key = site.key\ntargets = 10.0.0.9:3000\n");

        var result = _harness.Run("--host", "deploy@10.0.0.5");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("site.key", result.StdErr);
        Assert.Empty(_harness.Calls("scp"));
    }
}
