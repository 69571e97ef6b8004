namespace InverseProxy.Configuration;

/// <summary>
/// What a reloaded proxy.conf (SIGHUP) changes. The keys read per request or per connection take effect at once; those
/// bound at start (sockets, files, the cache's size: <see cref="OptionKey.NeedsRestart"/>) keep their running value
/// and are reported. The result is a new settings object: the running one is never changed under a request.
/// </summary>
internal static class LiveSettings
{
    /// <summary>
    /// The settings to run with after a reload: <paramref name="next"/>, with every key that needs a restart kept at
    /// its value in <paramref name="live"/>; those that differ are named in <paramref name="restart"/>.
    /// </summary>
    public static ProxyOptions Merge(ProxyOptions live, ProxyOptions next, out IReadOnlyList<string> restart)
    {
        var merged = next.Clone();
        var changed = new List<string>();
        var ignored = new List<string>();
        foreach (var key in OptionKeys.All.Where(k => k.NeedsRestart))
        {
            string running = key.Render(live);
            if (running != key.Render(next))
            {
                changed.Add(key.Name);
                // Every key's rendering parses back to the same value (see ConfigLoader.Describe).
                key.Bind(merged, running, new BindFailures(ignored, key.Name, running, ""));
            }
        }
        restart = changed;
        return merged;
    }
}
