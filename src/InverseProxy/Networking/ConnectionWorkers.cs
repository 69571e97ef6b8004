using System.Collections.Concurrent;

namespace InverseProxy.Networking;

/// <summary>
/// Runs each client connection on a thread of its own, reusing threads whose connection ended. The accept loop only
/// queues a connection and wakes one parked thread; it never waits for a thread to be created (Thread.Start blocks
/// until the new thread runs, which under load stalls accepting). A "conn-spawner" thread creates threads whenever
/// more connections wait than threads are parked, and keeps <c>spare_threads</c> parked for the next burst. A parked
/// thread beyond the spares retires after <see cref="ParkedLifetime"/>.
/// </summary>
internal sealed class ConnectionWorkers : IDisposable
{
    private const int StackSize = 256 * 1024;
    private static readonly TimeSpan ParkedLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SpareStartupLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<ClientConnection> _pending = new();
    private readonly SemaphoreSlim _work = new(0);          // one count per queued connection
    private readonly SemaphoreSlim _spawnNeeded = new(0);   // wakes the spawner
    private readonly int _spawners;
    private readonly int _spares;
    private readonly int _maxThreads; // max_connections: spares are not refilled beyond it
    private int _parked;   // threads waiting for work; Interlocked
    private int _threads;  // worker threads alive; Interlocked
    private int _started;  // worker threads that reached their loop; Interlocked
    private readonly CountdownEvent _sparesReady;
    private volatile bool _disposed;

    public ConnectionWorkers(int spareThreads, int maxThreads, int spawners = 4)
    {
        _spares = spareThreads;
        _maxThreads = maxThreads;
        _sparesReady = new CountdownEvent(spareThreads);
        // Thread.Start waits for the new thread to run (about half a millisecond here), so a burst of thousands of
        // connections needs several spawners to get threads at the rate the kernel accepts connections.
        _spawners = spawners;
        for (int i = 0; i < spawners; i++)
        {
            new Thread(SpawnLoop) { IsBackground = true, Name = $"conn-spawner-{i}" }.Start();
        }
        if (_spares > 0)
        {
            _spawnNeeded.Release(spawners);
            WaitForSpares();
        }
    }

    /// <summary>Worker threads alive (busy or parked).</summary>
    public int Threads => Volatile.Read(ref _threads);

    /// <summary>Worker threads parked, waiting for a connection.</summary>
    public int Parked => Volatile.Read(ref _parked);

    public void Run(ClientConnection connection)
    {
        _pending.Enqueue(connection);
        _work.Release();
        if (Volatile.Read(ref _parked) < _pending.Count + SparesWanted() && _spawnNeeded.CurrentCount < _spawners)
        {
            _spawnNeeded.Release();
        }
    }

    /// <summary>Lets parked threads and the spawner end; connections being served finish first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _spawnNeeded.Release(_spawners);
        int parked = Volatile.Read(ref _parked);
        if (parked > 0)
        {
            _work.Release(parked);
        }
    }

    /// <summary>Spares to keep now: none beyond what max_connections could ever use.</summary>
    private int SparesWanted() => Math.Max(0, Math.Min(_spares, _maxThreads - Volatile.Read(ref _threads) + Volatile.Read(ref _parked)));

    /// <summary>Start-up waits (bounded) until the spares exist, so the first burst finds them ready.</summary>
    private void WaitForSpares() => _sparesReady.Wait(SpareStartupLimit);

    private void SpawnLoop()
    {
        while (!_disposed)
        {
            _spawnNeeded.Wait();
            // Create threads until every queued connection has a thread free to take it; a parked count raised before
            // the start keeps concurrent spawners from overshooting.
            while (!_disposed && Volatile.Read(ref _parked) < _pending.Count + SparesWanted())
            {
                Interlocked.Increment(ref _threads);
                Interlocked.Increment(ref _parked);
                new Thread(WorkLoop, StackSize) { IsBackground = true, Name = "conn" }.Start();
                if (Volatile.Read(ref _parked) < _pending.Count + SparesWanted() && _spawnNeeded.CurrentCount == 0)
                {
                    _spawnNeeded.Release(); // bring in another spawner for a burst
                }
            }
        }
    }

    private void WorkLoop()
    {
        ThreadScheduling.UseBatchPolicy();
        if (Interlocked.Increment(ref _started) <= _spares)
        {
            _sparesReady.Signal();
        }
        try
        {
            while (!_disposed)
            {
                if (!_work.Wait(ParkedLifetime))
                {
                    if (Volatile.Read(ref _parked) > _spares)
                    {
                        break;
                    }
                    continue;
                }
                Interlocked.Decrement(ref _parked);
                if (_pending.TryDequeue(out var connection))
                {
                    // Named after its connection, so a thread dump shows which client each thread serves.
                    Thread.CurrentThread.Name = $"conn-{connection.Id}";
                    connection.Run();
                }
                Interlocked.Increment(ref _parked);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _parked);
            Interlocked.Decrement(ref _threads);
        }
    }
}
