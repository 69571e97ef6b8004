namespace InverseProxy.Caching.Shared;

internal enum SharedCircuitState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}

/// <summary>
/// Skips Redis after <see cref="FailureThreshold"/> failures in a row, for <see cref="OpenFor"/>; then lets one call
/// through as a probe: its success closes the circuit, its failure opens it again. A dead Redis then costs requests
/// nothing, not redis_timeout each.
/// </summary>
internal sealed class SharedCircuit(TimeProvider time)
{
    public const int FailureThreshold = 3;

    private readonly object _lock = new();

    // Guarded by _lock.
    private SharedCircuitState _state;
    private int _failures;
    private DateTimeOffset _retryAt;

    public TimeSpan OpenFor { get; init; } = TimeSpan.FromSeconds(5);

    public SharedCircuitState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>True when a call may go to Redis now; each such call must end in <see cref="Succeeded"/> or <see cref="Failed"/>.</summary>
    public bool TryPass()
    {
        lock (_lock)
        {
            if (_state == SharedCircuitState.Closed)
            {
                return true;
            }
            // Open: the first caller after the pause is the probe. Half-open: the probe is out; a probe that never
            // reported (its thread died) is replaced after another pause.
            if (time.GetUtcNow() < _retryAt)
            {
                return false;
            }
            _state = SharedCircuitState.HalfOpen;
            _retryAt = time.GetUtcNow() + OpenFor;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _failures = 0;
            _state = SharedCircuitState.Closed;
        }
    }

    /// <summary>Counts a failure; true when it opened the circuit.</summary>
    public bool Failed()
    {
        lock (_lock)
        {
            _failures++;
            if (_state == SharedCircuitState.Open || (_state == SharedCircuitState.Closed && _failures < FailureThreshold))
            {
                return false;
            }
            _state = SharedCircuitState.Open;
            _retryAt = time.GetUtcNow() + OpenFor;
            return true;
        }
    }
}
