namespace InverseProxy.Tests.Deploy;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries holding InverseProxy.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "InverseProxy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no InverseProxy.sln above {AppContext.BaseDirectory}");
    }
}
