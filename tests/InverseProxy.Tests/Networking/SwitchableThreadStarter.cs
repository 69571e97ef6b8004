using InverseProxy.Networking;

namespace InverseProxy.Tests.Networking;

/// <summary>Starts threads for real until told to refuse, then throws as Thread.Start does at a pids limit.</summary>
internal sealed class SwitchableThreadStarter : IThreadStarter
{
    private volatile bool _refusing;

    public int Refusals;

    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    public void Start(Thread thread)
    {
        if (_refusing)
        {
            Interlocked.Increment(ref Refusals);
            throw new OutOfMemoryException("Thread failed to start.");
        }
        thread.Start();
    }
}
