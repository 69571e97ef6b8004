namespace InverseProxy.Networking;

/// <summary>
/// Starts the threads that serve connections. <see cref="Thread.Start()"/> throws when the kernel refuses a new
/// thread (a pids cgroup limit, systemd's TasksMax, RLIMIT_NPROC); this seam lets tests make it refuse too.
/// </summary>
internal interface IThreadStarter
{
    /// <summary>Starts <paramref name="thread"/>; throws as <see cref="Thread.Start()"/> does when it cannot.</summary>
    void Start(Thread thread);
}
