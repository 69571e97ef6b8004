namespace InverseProxy.FunctionalTests.TestSupport;

internal static class TempDirectory
{
    public static string Create(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), "inverseproxy-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
