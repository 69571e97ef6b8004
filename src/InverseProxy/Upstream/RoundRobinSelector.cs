namespace InverseProxy.Upstream;

/// <summary>
/// Fair round-robin over the targets, skipping held-down ones. When every target is held down it still
/// returns the next one in turn, so a recovered target is found without waiting out every hold-down.
/// </summary>
internal sealed class RoundRobinSelector
{
    private volatile UpstreamTarget[] _targets; // replaced whole on reload
    private int _next = -1;

    public RoundRobinSelector(IReadOnlyList<UpstreamTarget> targets)
    {
        if (targets.Count == 0)
        {
            throw new ArgumentException("at least one target is required", nameof(targets));
        }
        _targets = targets.ToArray();
    }

    public IReadOnlyList<UpstreamTarget> Targets => _targets;

    /// <summary>Swaps in a new target list (reload); requests already under way keep the target they chose.</summary>
    public void Replace(IReadOnlyList<UpstreamTarget> targets)
    {
        if (targets.Count == 0)
        {
            throw new ArgumentException("at least one target is required", nameof(targets));
        }
        _targets = targets.ToArray();
    }

    /// <summary>The next target in turn, skipping <paramref name="exclude"/> and held-down targets where possible.</summary>
    public UpstreamTarget Next(UpstreamTarget? exclude = null)
    {
        var targets = _targets;
        int n = targets.Length;
        UpstreamTarget? fallback = null;
        for (int attempt = 0; attempt < n; attempt++)
        {
            // Interlocked keeps the spread even across client threads; uint wrap keeps the index positive.
            uint turn = (uint)Interlocked.Increment(ref _next);
            var candidate = targets[turn % (uint)n];
            if (ReferenceEquals(candidate, exclude) && n > 1)
            {
                continue;
            }
            if (!candidate.IsHeldDown)
            {
                return candidate;
            }
            fallback ??= candidate;
        }
        // Nothing healthy: give back all turns but one, so the next call starts one target further on
        // instead of every call landing on the same held-down target.
        Interlocked.Add(ref _next, 1 - n);
        return fallback ?? targets[0];
    }
}
