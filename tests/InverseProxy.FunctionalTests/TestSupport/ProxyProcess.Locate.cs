namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>Where the dotnet host and the built proxy are.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>InverseProxy.dll next to the test assembly, else under src/InverseProxy/bin/&lt;Configuration&gt;/net10.0/.</summary>
    public static string DllPath { get; } = FindDll();

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private static string FindDll()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "InverseProxy.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "InverseProxy.runtimeconfig.json")))
        {
            return beside;
        }
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "InverseProxy", "bin", configuration, "net10.0", "InverseProxy.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"InverseProxy.dll not found beside {AppContext.BaseDirectory} or under src/InverseProxy/bin/{configuration}/net10.0/; build the solution first");
    }
}
