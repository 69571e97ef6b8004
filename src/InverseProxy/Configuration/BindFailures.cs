namespace InverseProxy.Configuration;

/// <summary>Collects the one-line errors for the value of one key, naming where the value came from.</summary>
internal sealed class BindFailures
{
    private readonly List<string> _errors;
    private readonly string _key;
    private readonly string _raw;
    private readonly string _source;

    /// <param name="source">"" for the config file, else the variable or option that supplied the value.</param>
    public BindFailures(List<string> errors, string key, string raw, string source)
    {
        _errors = errors;
        _key = key;
        _raw = raw;
        _source = source;
    }

    public bool Any { get; private set; }

    /// <summary>"cache_size must be a byte count like 64MB or 1048576 (was '-1')".</summary>
    public void Invalid(string expectation)
    {
        Any = true;
        var from = _source.Length == 0 ? "" : " from " + _source;
        _errors.Add($"{_key} must be {expectation} (was '{ConfigText.Escape(_raw)}'{from})");
    }

    /// <summary>"targets: '127.0.0.1' must be host:port (port 1-65535)".</summary>
    public void InvalidItem(string item, string expectation)
    {
        Any = true;
        var from = _source.Length == 0 ? "" : $" (from {_source})";
        _errors.Add($"{_key}: '{ConfigText.Escape(item)}' {expectation}{from}");
    }
}
