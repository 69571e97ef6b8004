using System.Collections;
using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

/// <summary>A throwaway directory holding a proxy.conf, removed on dispose.</summary>
internal sealed class TempConfig : IDisposable
{
    public const string Targets = "targets = 127.0.0.1:9001\n";

    public TempConfig(string content = Targets)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("inverseproxy-config-").FullName;
        Path = System.IO.Path.Combine(Directory, "proxy.conf");
        File.WriteAllText(Path, content);
    }

    public string Directory { get; }

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

    public void Dispose()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
