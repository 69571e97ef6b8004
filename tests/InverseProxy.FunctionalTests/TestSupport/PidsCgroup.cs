namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>
/// A child cgroup with a pids limit (what systemd's TasksMax sets), so a test can run the real proxy at a thread
/// limit. cgroup v2 (pids in /sys/fs/cgroup/cgroup.controllers) or the v1 pids hierarchy; needs root.
/// </summary>
internal sealed class PidsCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";

    private PidsCgroup(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Null when this machine cannot give a test a pids cgroup; <see cref="Unavailable"/> says why.</summary>
    public static string? Unavailable { get; } = FindUnavailableReason();

    /// <summary>Makes a fresh child group; call only when <see cref="Unavailable"/> is null.</summary>
    public static PidsCgroup Create()
    {
        string parent = ParentDirectory() ?? throw new InvalidOperationException(Unavailable);
        if (parent == Root)
        {
            // v2: a child gets pids.max only when its parent hands the controller down.
            File.WriteAllText(System.IO.Path.Combine(Root, "cgroup.subtree_control"), "+pids");
        }
        string path = System.IO.Path.Combine(parent, "inverseproxy-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return new PidsCgroup(path);
    }

    /// <summary>Moves a process, with all its threads, into the group.</summary>
    public void Add(int pid) => File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.procs"), pid.ToString());

    /// <summary>Tasks (threads) in the group now.</summary>
    public int Current => int.Parse(File.ReadAllText(System.IO.Path.Combine(Path, "pids.current")).Trim());

    /// <summary>No new thread or process may start while the group holds <paramref name="max"/> tasks.</summary>
    public void Limit(int max) => File.WriteAllText(System.IO.Path.Combine(Path, "pids.max"), max.ToString());

    /// <summary>Removes the group; its processes must have exited (the kernel empties it a moment after).</summary>
    public void Dispose() => Poll.Until(() =>
    {
        try
        {
            Directory.Delete(Path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }, TimeSpan.FromSeconds(5));

    private static string? ParentDirectory()
    {
        string v2 = System.IO.Path.Combine(Root, "cgroup.controllers");
        if (File.Exists(v2))
        {
            return File.ReadAllText(v2).Split(' ', '\n').Contains("pids") ? Root : null;
        }
        string v1 = System.IO.Path.Combine(Root, "pids");
        return File.Exists(System.IO.Path.Combine(v1, "cgroup.procs")) ? v1 : null;
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "pids cgroups are Linux only";
        }
        if (Environment.UserName != "root")
        {
            return "making a cgroup needs root";
        }
        if (ParentDirectory() is null)
        {
            return $"no pids controller under {Root} (neither cgroup v2 with pids nor the v1 pids hierarchy)";
        }
        try
        {
            using var probe = Create();
            probe.Limit(100);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{Root} is not writable here: {e.Message}";
        }
    }
}

/// <summary>A fact skipped, with the reason, where the test cannot get a pids cgroup (not root, no writable cgroup fs).</summary>
internal sealed class PidsCgroupFactAttribute : FactAttribute
{
    public PidsCgroupFactAttribute()
    {
        if (PidsCgroup.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
