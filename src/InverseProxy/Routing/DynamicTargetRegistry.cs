using System.Net;
using InverseProxy.Upstream;

namespace InverseProxy.Routing;

/// <summary>
/// The targets made from templates, over all sites, at most <c>max_dynamic_targets</c> of them: past it, or when one
/// has not been used for upstream_idle_timeout, the least recently used is dropped and its idle connections closed.
/// One lock; inside it only dictionary and list work.
/// </summary>
internal sealed class DynamicTargetRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<(string Site, string Target), LinkedListNode<Entry>> _byName = new();
    private readonly LinkedList<Entry> _recent = new(); // most recently used first; guarded by _lock
    private readonly UpstreamPool _pool;
    private readonly TimeProvider _time;
    private readonly Func<(int Max, TimeSpan Idle)> _limits; // read per add, so a reload applies
    private long _made;
    private long _dropped;

    public DynamicTargetRegistry(UpstreamPool pool, TimeProvider time, Func<(int Max, TimeSpan Idle)> limits)
    {
        _pool = pool;
        _time = time;
        _limits = limits;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byName.Count;
            }
        }
    }

    /// <summary>Targets made since start.</summary>
    public long Made => Interlocked.Read(ref _made);

    /// <summary>Targets dropped for the bound or for being idle.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public RoundRobinSelector? TryGet(string site, string target)
    {
        lock (_lock)
        {
            if (!_byName.TryGetValue((site, target), out var node))
            {
                return null;
            }
            Touch(node);
            return node.Value.Selector;
        }
    }

    /// <summary>Keeps a new target (or returns the one another thread made meanwhile), dropping old ones past the bound.</summary>
    public RoundRobinSelector Add(string site, string target, DnsEndPoint endPoint, IPEndPoint resolved)
    {
        var made = new RoundRobinSelector([new UpstreamTarget(endPoint, resolved, _time)]);
        var (max, idle) = _limits();
        var dropped = new List<UpstreamTarget>();
        RoundRobinSelector selector;
        lock (_lock)
        {
            if (_byName.TryGetValue((site, target), out var existing))
            {
                Touch(existing);
                return existing.Value.Selector;
            }
            long now = _time.GetTimestamp();
            // Idle ones first (from the least recently used end), then as many as the bound needs.
            while (_recent.Last is { } last
                && (_byName.Count >= max || _time.GetElapsedTime(last.Value.LastUsed, now) > idle))
            {
                _recent.RemoveLast();
                _byName.Remove(last.Value.Key);
                dropped.Add(last.Value.Selector.Targets[0]);
            }
            var node = _recent.AddFirst(new Entry((site, target), made, now));
            _byName[(site, target)] = node;
            selector = made;
        }
        Interlocked.Increment(ref _made);
        Interlocked.Add(ref _dropped, dropped.Count);
        foreach (var droppedTarget in dropped)
        {
            _pool.Forget(droppedTarget);
        }
        return selector;
    }

    /// <summary>Drops a site's targets (the site was removed or changed by a reload).</summary>
    public void ForgetSite(string site)
    {
        var dropped = new List<UpstreamTarget>();
        lock (_lock)
        {
            for (var node = _recent.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Key.Site == site)
                {
                    _recent.Remove(node);
                    _byName.Remove(node.Value.Key);
                    dropped.Add(node.Value.Selector.Targets[0]);
                }
                node = next;
            }
        }
        foreach (var target in dropped)
        {
            _pool.Forget(target);
        }
    }

    private void Touch(LinkedListNode<Entry> node)
    {
        node.Value.LastUsed = _time.GetTimestamp();
        if (node != _recent.First)
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
        }
    }

    private sealed class Entry((string Site, string Target) key, RoundRobinSelector selector, long lastUsed)
    {
        public (string Site, string Target) Key { get; } = key;

        public RoundRobinSelector Selector { get; } = selector;

        public long LastUsed { get; set; } = lastUsed;
    }
}
