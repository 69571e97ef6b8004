namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>The proxy.conf a test writes for <see cref="ProxyProcess"/>.</summary>
internal static class ProxyConfigFile
{
    /// <summary>Loopback on a port the kernel picks, files beside proxy.conf, a short drain on SIGTERM.</summary>
    private static readonly string[] s_defaults =
    [
        "port = 0",
        "bind_address = 127.0.0.1",
        "path_to_persistence = cache.bin",
        "path_to_log = proxy.log",
        "shutdown_timeout = 5s",
    ];

    public static string PathIn(string directory) => Path.Combine(directory, "proxy.conf");

    /// <summary>
    /// Writes proxy.conf into <paramref name="directory"/>: the <c>key = value</c> lines of <paramref name="settings"/>
    /// (an item may hold several lines), preceded by each default whose key they leave out. Returns its path.
    /// </summary>
    public static string Write(string directory, params string[] settings)
    {
        var lines = settings.SelectMany(s => s.Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var given = lines.Select(Key).ToHashSet();
        string path = PathIn(directory);
        File.WriteAllLines(path, s_defaults.Where(d => !given.Contains(Key(d))).Concat(lines));
        return path;
    }

    private static string Key(string line) => line.Split('=')[0].Trim();
}
