using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace InverseProxy.Benchmarks;

internal static class Program
{
    /// <summary>
    /// <c>persistence write|load ...</c> runs the cache-file size measurement (see <see cref="PersistenceRun"/>);
    /// anything else goes to BenchmarkDotNet (<c>--filter '*'</c>, <c>--job short</c>, ...).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "persistence")
        {
            return PersistenceRun.Run(args[1..]);
        }
        // bin/Release/net10.0 -> bench/BenchmarkDotNet.Artifacts, which git ignores.
        string artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "BenchmarkDotNet.Artifacts"));
        var config = DefaultConfig.Instance.WithArtifactsPath(artifacts);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
