namespace InverseProxy.Networking;

/// <summary>
/// Runs each client connection on a thread of its own, reusing threads whose connection ended. The accept loop hands
/// a connection straight to one parked thread and wakes that thread alone: no lock or semaphore is shared by all
/// parked threads, so a burst of thousands of connections is dispatched at the rate they are accepted. It never waits
/// for a thread to be created (Thread.Start blocks until the new thread runs): when no thread is parked the connection
/// is queued, and a "conn-spawner" thread creates threads until every queued connection has one, keeping spares
/// parked for the next burst: at least <c>spare_threads</c>, more after a peak (<see cref="SpareThreadPolicy"/>).
/// A parked thread beyond the spares wanted retires after <see cref="ParkedLifetime"/>. Parked threads that hold their connection buffers are handed work before threads
/// that do not yet: a burst consumes spares while the spawners make more, and the newest threads, on top of the
/// stack, took the burst's connections and made their 17 KB of buffers then (sampled in a burst of 9,000 new
/// clients: 7 MB, against under 0.7 MB with the spares made at start-up taken first).
/// </summary>
internal sealed class ConnectionWorkers : IDisposable
{
    private const int StackSize = 256 * 1024;
    private static readonly TimeSpan ParkedLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SpareStartupLimit = TimeSpan.FromSeconds(30);

    // Guards _parked, _bare, _pending and each parked worker's slot. Held for a few list operations only, never while
    // waking or creating a thread.
    private readonly Lock _gate = new();
    // Stacks: the most recently parked thread is handed work first, one with buffers before one without.
    private readonly List<Worker> _parked = new(); // parked threads holding their buffers
    private readonly List<Worker> _bare = new();   // parked threads that will make theirs with their first connection
    private readonly Queue<ClientConnection> _pending = new();
    private readonly SemaphoreSlim _spawnNeeded = new(0);   // wakes the spawners
    private readonly int _spawners;
    private readonly IThreadStarter _threadStarter;
    private readonly Action<ClientConnection, Exception> _noThread;
    private readonly int _spares; // spare_threads: made at start-up, and the fewest spares kept
    private readonly SpareThreadPolicy _policy; // under _gate
    private int _threads;  // worker threads alive, counted from before their start; Interlocked
    private int _starting; // threads created that have not yet parked or taken work; Interlocked
    private int _started;  // worker threads that reached their loop; Interlocked
    private int _buffersMade; // ConnectionBuffers made by worker threads; Interlocked
    private readonly CountdownEvent _sparesReady;
    private volatile bool _disposed;

    /// <param name="noThread">Called with a queued connection no thread could be started for; it must answer and close it.</param>
    public ConnectionWorkers(int spareThreads, int maxThreads, IThreadStarter threads, Action<ClientConnection, Exception> noThread, TimeProvider time, int spawners = 4)
    {
        _policy = new SpareThreadPolicy(spareThreads, maxThreads, time);
        _threadStarter = threads;
        _noThread = noThread;
        _spares = spareThreads;
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

    /// <summary>How many threads have made their connection buffers: at start-up for the spares, or at a first connection.</summary>
    public int BuffersMade => Volatile.Read(ref _buffersMade);

    /// <summary>Gives <paramref name="connection"/> a thread: a parked one now, or the next one free or created.</summary>
    public void Run(ClientConnection connection)
    {
        Worker? worker;
        bool spawn;
        lock (_gate)
        {
            _policy.Observe(Demand());
            worker = PopParked();
            if (worker is not null)
            {
                worker.Connection = connection;
            }
            else
            {
                _pending.Enqueue(connection);
            }
            spawn = NeedsThreads();
        }
        worker?.Wake.Release();
        if (spawn && _spawnNeeded.CurrentCount < _spawners)
        {
            _spawnNeeded.Release();
        }
    }

    /// <summary>Lets parked threads and the spawners end; connections being served finish first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _spawnNeeded.Release(_spawners);
        Worker[] parked;
        lock (_gate)
        {
            parked = [.. _parked, .. _bare];
        }
        foreach (var worker in parked)
        {
            worker.Wake.Release();
        }
    }

    /// <summary>Under <see cref="_gate"/>: whether more threads are wanted for queued connections or spares.</summary>
    private bool NeedsThreads()
    {
        int idle = _parked.Count + _bare.Count + Volatile.Read(ref _starting);
        return idle < _pending.Count + _policy.SparesWanted(Demand());
    }

    /// <summary>Under <see cref="_gate"/>: connections being served or waiting for a thread.</summary>
    private int Demand() =>
        Volatile.Read(ref _threads) - _parked.Count - _bare.Count - Volatile.Read(ref _starting) + _pending.Count;

    /// <summary>Under <see cref="_gate"/>: the parked thread to hand work to, taken out of its stack, or null.</summary>
    private Worker? PopParked()
    {
        var stack = _parked.Count > 0 ? _parked : _bare;
        if (stack.Count == 0)
        {
            return null;
        }
        var worker = stack[^1];
        Unpark(worker);
        return worker;
    }

    /// <summary>Under <see cref="_gate"/>: the stack a parked worker is in, which does not change while it is parked.</summary>
    private List<Worker> StackOf(Worker worker) => worker.Buffers is null ? _bare : _parked;

    /// <summary>Start-up waits (bounded) until the spares exist, so the first burst finds them ready.</summary>
    private void WaitForSpares() => _sparesReady.Wait(SpareStartupLimit);

    private void SpawnLoop()
    {
        while (!_disposed)
        {
            _spawnNeeded.Wait();
            while (!_disposed)
            {
                lock (_gate)
                {
                    if (!NeedsThreads())
                    {
                        break;
                    }
                    // Counted before the start, so concurrent spawners do not overshoot.
                    Interlocked.Increment(ref _threads);
                    Interlocked.Increment(ref _starting);
                }
                // The worker is made here: a thread that allocates anything takes an allocation quantum of its own,
                // and a refilled spare may otherwise allocate nothing before its first connection.
                var worker = new Worker();
                worker.Thread = new Thread(() => WorkLoop(worker), StackSize) { IsBackground = true, Name = "conn" };
                if (!TryStart(worker.Thread))
                {
                    break; // nothing was waiting: spares are tried again with the next connection
                }
                if (_spawnNeeded.CurrentCount == 0)
                {
                    _spawnNeeded.Release(); // bring in another spawner for a burst
                }
            }
        }
    }

    /// <summary>
    /// Starts a counted worker thread. When the system refuses one (a pids or task limit), the count is taken back
    /// and the longest-waiting queued connection is refused, rather than the spawner, and with it the process, dying.
    /// Returns false when the start failed and no connection was waiting for it.
    /// </summary>
    private bool TryStart(Thread thread)
    {
        try
        {
            _threadStarter.Start(thread);
            return true;
        }
        catch (Exception e) when (ThreadStartFailures.IsThreadShortage(e))
        {
            ClientConnection? refused;
            lock (_gate)
            {
                Interlocked.Decrement(ref _threads);
                Interlocked.Decrement(ref _starting);
                _pending.TryDequeue(out refused);
            }
            if (refused is null)
            {
                return false;
            }
            _noThread(refused, e);
            return true;
        }
    }

    private void WorkLoop(Worker self)
    {
        // The spares made at start-up take their buffers before any load; a thread made later takes them with its
        // first connection, so refilling spares during a burst does not allocate for threads that may stay idle.
        // Set before the thread first parks (under the gate), so the dispatcher sees which stack it belongs in.
        self.Buffers = _sparesReady.IsSet ? null : MakeBuffers();
        if (Interlocked.Increment(ref _started) <= _spares)
        {
            _sparesReady.Signal();
        }
        bool starting = true;
        try
        {
            while (TakeWork(self, ref starting) is { } connection)
            {
                // Named after its connection, so a thread dump shows which client each thread serves.
                // Through the worker's own reference: Thread.CurrentThread is a thread-static, and a thread's first
                // thread-static read allocates its statics array.
                self.Thread!.Name = connection.ThreadName;
                var buffers = self.Buffers ??= MakeBuffers();
                connection.Run(buffers);
                buffers.Trim();
            }
        }
        finally
        {
            if (starting)
            {
                Interlocked.Decrement(ref _starting);
            }
            Interlocked.Decrement(ref _threads);
            // The semaphore is not disposed: shutdown may still release it after this thread retires. It holds no kernel
            // handle unless its AvailableWaitHandle is asked for, which nothing does.
        }
    }

    private ConnectionBuffers MakeBuffers()
    {
        Interlocked.Increment(ref _buffersMade);
        return new ConnectionBuffers();
    }

    /// <summary>The next connection for this thread: a queued one, or one handed over while parked; null = retire.</summary>
    private ClientConnection? TakeWork(Worker self, ref bool starting)
    {
        lock (_gate)
        {
            if (starting)
            {
                starting = false;
                Interlocked.Decrement(ref _starting);
            }
            if (_pending.TryDequeue(out var queued))
            {
                return queued;
            }
            if (_disposed)
            {
                return null;
            }
            self.DrainWake();
            var stack = StackOf(self);
            self.Slot = stack.Count;
            stack.Add(self);
        }
        while (true)
        {
            bool woken = self.Wake.Wait(ParkedLifetime);
            lock (_gate)
            {
                if (self.Connection is { } handed)
                {
                    self.Connection = null;
                    return handed;
                }
                // Still parked: woken by shutdown, idle for ParkedLifetime, or woken late by an earlier hand-over
                // that this thread had already taken after a timeout.
                if (_disposed || (!woken && _parked.Count + _bare.Count > _policy.SparesWanted(Demand())))
                {
                    Unpark(self);
                    return null;
                }
                self.DrainWake();
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>: takes a parked worker out of its stack (that stack's top takes its slot).</summary>
    private void Unpark(Worker worker)
    {
        var stack = StackOf(worker);
        int last = stack.Count - 1;
        var top = stack[last];
        stack[worker.Slot] = top;
        top.Slot = worker.Slot;
        stack.RemoveAt(last);
        worker.Slot = -1;
    }

    /// <summary>A connection thread as the dispatcher sees it.</summary>
    private sealed class Worker
    {
        /// <summary>
        /// Released once a connection is handed over (or on shutdown); the thread blocks on it. A semaphore rather
        /// than a ManualResetEventSlim, which makes its lock object in the first wait, on the waiting thread.
        /// </summary>
        public SemaphoreSlim Wake { get; } = new(0);

        /// <summary>The thread this worker runs on, named after each connection it serves.</summary>
        public Thread? Thread { get; set; }

        /// <summary>What the thread keeps for every connection it serves; null until made. Written by the thread only.</summary>
        public ConnectionBuffers? Buffers { get; set; }

        /// <summary>Drops a wake-up left over from a hand-over already taken (or a second shutdown release).</summary>
        public void DrainWake()
        {
            while (Wake.Wait(0))
            {
            }
        }

        /// <summary>Handed over by <see cref="Run"/> under the gate; taken by the thread under the gate.</summary>
        public ClientConnection? Connection { get; set; }

        /// <summary>Index in the parked stack, or -1 when not parked. Under the gate.</summary>
        public int Slot { get; set; } = -1;
    }
}
