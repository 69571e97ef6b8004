namespace InverseProxy.Networking;

/// <summary>Starts threads with <see cref="Thread.Start()"/>.</summary>
internal sealed class SystemThreadStarter : IThreadStarter
{
    public static readonly SystemThreadStarter Instance = new();

    private SystemThreadStarter()
    {
    }

    public void Start(Thread thread) => thread.Start();
}
