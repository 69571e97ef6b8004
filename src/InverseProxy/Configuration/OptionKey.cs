namespace InverseProxy.Configuration;

/// <summary>Parses one raw value onto the options, reporting through <paramref name="failures"/> when it cannot.</summary>
internal delegate void OptionBinder(ProxyOptions options, string raw, BindFailures failures);

/// <summary>One key of proxy.conf: its name, a one-line meaning, how to read it and how to write it back.</summary>
internal sealed record OptionKey(string Name, string Summary, Func<ProxyOptions, string> Render, OptionBinder Bind)
{
    /// <summary>The environment variable that overrides this key, e.g. INVERSEPROXY_CACHE_SIZE.</summary>
    public string EnvironmentName => ConfigLoader.EnvironmentPrefix + Name.ToUpperInvariant();

    /// <summary>The command-line option that overrides this key, e.g. --cache_size (--cache-size also works).</summary>
    public string OptionName => "--" + Name;
}
