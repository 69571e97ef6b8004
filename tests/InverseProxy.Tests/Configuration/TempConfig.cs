using System.Collections;
using InverseProxy.Configuration;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Configuration;

/// <summary>A throwaway directory holding a proxy.conf, removed on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public const string Targets = "targets = 127.0.0.1:9001\n";

    private readonly TempDirectory _directory = new();

    public TempConfig(string content = Targets)
    {
        Path = _directory.WriteFile("proxy.conf", content);
    }

    public string Directory => _directory.Path;

    public string Path { get; }

    public static IDictionary NoEnvironment => new Hashtable();

    public ConfigLoadResult Load(params string[] extraArgs)
    {
        return Load(NoEnvironment, extraArgs);
    }

    public ConfigLoadResult Load(IDictionary environment, params string[] extraArgs)
    {
        return ConfigLoader.Load(["--config", Path, .. extraArgs], environment);
    }

    public void Dispose() => _directory.Dispose();
}
