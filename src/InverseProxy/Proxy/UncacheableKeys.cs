using System.Collections.Concurrent;

namespace InverseProxy.Proxy;

/// <summary>
/// Keys whose last response could not be stored ("hit-for-pass"): concurrent misses on them are not collapsed,
/// since waiting for a response that will not be cached only serialises requests. Bounded: when full, it is cleared
/// (the cost of forgetting is one collapsed round, never a wrong answer).
/// </summary>
internal sealed class UncacheableKeys
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan Remember = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, long> _untilTicks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public UncacheableKeys(TimeProvider time)
    {
        _time = time;
    }

    public bool Contains(string key) =>
        _untilTicks.TryGetValue(key, out long until) && until > _time.GetUtcNow().UtcTicks;

    public void Mark(string key)
    {
        if (_untilTicks.Count >= Capacity)
        {
            _untilTicks.Clear();
        }
        _untilTicks[key] = _time.GetUtcNow().Add(Remember).UtcTicks;
    }

    public void Forget(string key) => _untilTicks.TryRemove(key, out _);
}
