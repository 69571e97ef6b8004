namespace InverseProxy.Caching;

/// <summary>
/// Collapsed forwarding: while one request for a key is being fetched from upstream, further misses for the same key
/// wait for it instead of fetching too. The first to <see cref="Join"/> leads; the others follow with a bounded
/// wait and, on timeout, fetch for themselves. Thread-safe; every operation is O(1).
/// </summary>
internal sealed class RequestCoalescer
{
    private readonly object _lock = new();

    // Guarded by _lock: the fetch in progress for each key.
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    /// <summary>Fetches in progress (for tests and stats).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _flights.Count;
            }
        }
    }

    public CoalesceTicket Join(string key)
    {
        lock (_lock)
        {
            if (_flights.TryGetValue(key, out var flight))
            {
                return new CoalesceTicket(this, flight, isLeader: false);
            }
            flight = new Flight(key);
            _flights.Add(key, flight);
            return new CoalesceTicket(this, flight, isLeader: true);
        }
    }

    internal void Finish(Flight flight)
    {
        lock (_lock)
        {
            if (_flights.TryGetValue(flight.Key, out var current) && ReferenceEquals(current, flight))
            {
                _flights.Remove(flight.Key);
            }
        }
        flight.Done.Set();
    }

    internal sealed class Flight
    {
        public Flight(string key)
        {
            Key = key;
        }

        public string Key { get; }

        /// <summary>Set once by the leader; never disposed, since followers may still be waiting on it.</summary>
        public ManualResetEventSlim Done { get; } = new(false);
    }
}
