using System.Net;

namespace InverseProxy.Tests.Configuration;

public sealed class PolicyConfigTests
{
    [Fact]
    public void Load_FilterKeys_BoundAtTopLevelAndPerSite()
    {
        using var config = new TempConfig(TempConfig.Targets + """
            deny_paths = /admin/**, /*.php
            deny_methods = TRACE
            allow_clients = 10.0.0.0/8, 127.0.0.1
            deny_clients = 10.1.0.0/16
            deny_user_agents = ^curl/
            deny_status = 404
            [site:api]
            hosts = api.example
            targets = 127.0.0.1:9002
            deny_paths = /internal/**
            deny_status = 403
            """);
        File.WriteAllText(Path.Combine(config.Directory, "blocked.txt"), "ads.example\n");

        var options = config.Load("--deny_hosts_file", "blocked.txt").Options!;

        Assert.Equal(["/admin/**", "/*.php"], options.DenyPaths);
        Assert.Equal(["TRACE"], options.DenyMethods);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.1/32")], options.AllowClients);
        Assert.Equal(404, options.DenyStatus);
        Assert.Equal(Path.Combine(config.Directory, "blocked.txt"), options.DenyHostsFile);
        var api = options.Sites.Single().Settings;
        Assert.Equal(["/internal/**"], api.DenyPaths);
        Assert.Equal(403, api.DenyStatus);
        Assert.Equal(["TRACE"], api.DenyMethods);
        Assert.Equal(Path.Combine(config.Directory, "blocked.txt"), api.DenyHostsFile);
    }

    [Theory]
    [InlineData("deny_paths = admin", "deny_paths: 'admin' must be a path glob starting with / or *, like /admin/** or /*.php")]
    [InlineData("deny_methods = GE T", "deny_methods: 'GE T' must be a method name like TRACE")]
    [InlineData("deny_clients = 10.0.0.0/99", "deny_clients: '10.0.0.0/99' must be an address or a CIDR like 10.0.0.0/8 or 2001:db8::/32")]
    [InlineData("deny_status = 500", "deny_status must be 403 or 404 (was '500')")]
    public void Load_BadFilterValue_NamesKeyAndExpectation(string line, string expected)
    {
        using var config = new TempConfig(TempConfig.Targets + line + "\n");

        Assert.Contains(expected, config.Load().Errors);
    }

    [Fact]
    public void Load_BadUserAgentRegex_NamesKey()
    {
        using var config = new TempConfig(TempConfig.Targets + "deny_user_agents = (unclosed\n");

        Assert.Contains(config.Load().Errors, e => e.StartsWith("deny_user_agents must be a .NET regular expression", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingHostsFile_NamesKeyAndPath()
    {
        using var config = new TempConfig(TempConfig.Targets + "deny_hosts_file = missing.txt\n");

        Assert.Equal([$"deny_hosts_file: '{Path.Combine(config.Directory, "missing.txt")}' is not a readable file"], config.Load().Errors);
    }

    [Fact]
    public void Load_UsersFileBesideTheConfig_ResolvedFromTheConfigsDirectoryNotTheWorkingOne()
    {
        using var config = new TempConfig(TempConfig.Targets + "proxy_auth_users = users.txt\n");
        File.WriteAllText(Path.Combine(config.Directory, "users.txt"), "alice:$2y$05$abcdefghijklmnopqrstuv\n");

        var loaded = config.Load();

        Assert.Empty(loaded.Errors);
        Assert.Equal(Path.Combine(config.Directory, "users.txt"), loaded.Options!.ProxyAuthUsers);
    }

    [Fact]
    public void Load_SiteUsersFileMissing_NamesTheSitesKeyAndPath()
    {
        using var config = new TempConfig(TempConfig.Targets + "[site:shop]\nhosts = shop.example\ntargets = 127.0.0.1:9001\nproxy_auth_users = nobody.txt\n");

        Assert.Equal(
            [$"[site:shop] proxy_auth_users: '{Path.Combine(config.Directory, "nobody.txt")}' is not a readable file of user:hash lines"],
            config.Load().Errors);
    }
}
