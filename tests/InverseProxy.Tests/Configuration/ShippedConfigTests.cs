using System.Net;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

/// <summary>The proxy.conf shipped at the repository root must stay in step with the code defaults.</summary>
public sealed class ShippedConfigTests
{
    /// <summary>Keys whose shipped value deliberately differs from (or is resolved from) the code default.</summary>
    private static readonly HashSet<string> AllowedDifferences = ["targets", "admin_port", "path_to_persistence", "path_to_log"];

    private static string ShippedPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "InverseProxy.sln")))
                {
                    return Path.Combine(dir.FullName, "proxy.conf");
                }
            }

            throw new InvalidOperationException("InverseProxy.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void Load_ShippedFile_IsValid()
    {
        var result = ConfigLoader.Load(["--config", ShippedPath], TempConfig.NoEnvironment);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Load_ShippedFile_EqualsCodeDefaultsExceptDocumentedKeys()
    {
        var shipped = ConfigLoader.Load(["--config", ShippedPath], TempConfig.NoEnvironment).Options!;
        var defaults = new ProxyOptions();

        var differing = OptionKeys.All.Where(k => k.Render(shipped) != k.Render(defaults)).Select(k => k.Name);

        Assert.Equal(AllowedDifferences.Order(), differing.Order());
    }

    [Fact]
    public void Load_ShippedFile_DocumentedDifferencesHaveDocumentedValues()
    {
        var shipped = ConfigLoader.Load(["--config", ShippedPath], TempConfig.NoEnvironment).Options!;
        var directory = Path.GetDirectoryName(ShippedPath)!;

        Assert.Equal([new DnsEndPoint("127.0.0.1", 9001), new DnsEndPoint("127.0.0.1", 9002)], shipped.Targets);
        Assert.Equal(8080, shipped.Port);
        Assert.Equal(8081, shipped.AdminPort);
        Assert.Equal(Path.Combine(directory, new ProxyOptions().PathToPersistence), shipped.PathToPersistence);
        Assert.Equal(Path.Combine(directory, new ProxyOptions().PathToLog), shipped.PathToLog);
    }

    [Fact]
    public void ShippedFile_EveryKeyPresentOnceAtTopLevelAfterAComment()
    {
        var lines = File.ReadAllLines(ShippedPath);
        var seen = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }

            Assert.False(line.StartsWith('['), "section found: " + line);
            var key = line[..line.IndexOf('=', StringComparison.Ordinal)].Trim();
            seen.Add(key);
            Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith(';'), $"'{key}' has no comment above it");
            Assert.Contains("Default:", CommentAbove(lines, i));
        }

        Assert.Equal(OptionKeys.Names, seen);
    }

    private static string CommentAbove(string[] lines, int index)
    {
        var start = index;
        while (start > 0 && lines[start - 1].TrimStart().StartsWith(';'))
        {
            start--;
        }

        return string.Join(" ", lines[start..index]);
    }
}
