namespace InverseProxy.Configuration;

/// <summary>Parses one raw value onto the options, reporting through <paramref name="failures"/> when it cannot.</summary>
internal delegate void OptionBinder(ProxyOptions options, string raw, BindFailures failures);

/// <summary>One key of proxy.conf: its name, a one-line meaning, how to read it and how to write it back.</summary>
internal sealed record OptionKey(string Name, string Summary, Func<ProxyOptions, string> Render, OptionBinder Bind)
{
    /// <summary>Bound at start (sockets, files, the cache's size): a reload reports it and keeps the running value.</summary>
    public bool NeedsRestart { get; init; }

    /// <summary>May be set again in a <c>[site:NAME]</c> section, for that site's requests.</summary>
    public bool PerSite { get; init; }

    /// <summary>This key, marked as needing a restart to change.</summary>
    public OptionKey Restart() => this with { NeedsRestart = true };

    /// <summary>This key, marked as settable per site.</summary>
    public OptionKey Site() => this with { PerSite = true };

    /// <summary>The environment variable that overrides this key, e.g. INVERSEPROXY_CACHE_SIZE.</summary>
    public string EnvironmentName => ConfigLoader.EnvironmentPrefix + Name.ToUpperInvariant();

    /// <summary>The command-line option that overrides this key, e.g. --cache_size (--cache-size also works).</summary>
    public string OptionName => "--" + Name;
}
