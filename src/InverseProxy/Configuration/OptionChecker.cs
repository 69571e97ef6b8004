namespace InverseProxy.Configuration;

/// <summary>Accumulates the validator's errors, skipping checks that involve a key already found wrong.</summary>
internal sealed class OptionChecker
{
    private readonly ProxyOptions _options;
    // Keys that failed to parse or already failed a check: later checks involving them would only repeat the news.
    private readonly HashSet<string> _failed;

    private readonly string? _site;

    /// <param name="site">The <c>[site:NAME]</c> section being checked, whose keys the messages then name; null = top level.</param>
    public OptionChecker(ProxyOptions options, IReadOnlySet<string> unparsed, string? site = null)
    {
        _options = options;
        _site = site;
        _failed = new HashSet<string>(unparsed, StringComparer.OrdinalIgnoreCase);
    }

    public List<string> Errors { get; } = new();

    /// <summary>Reports "{key} must be {expectation} (was '{value}')" unless <paramref name="ok"/> or a key is unparsed.</summary>
    public void That(bool ok, string expectation, string key, params string[] otherKeys)
    {
        if (ok || _failed.Contains(Label(key)) || otherKeys.Any(k => _failed.Contains(Label(k))))
        {
            return;
        }

        _failed.Add(Label(key));
        var value = OptionKeys.Find(key)!.Render(_options);
        Errors.Add($"{Label(key)} must be {expectation} (was '{ConfigText.Escape(value)}')");
    }

    public void Item(bool ok, string key, string item, string expectation)
    {
        if (!ok && !_failed.Contains(Label(key)))
        {
            Errors.Add($"{Label(key)}: '{ConfigText.Escape(item)}' {expectation}");
        }
    }

    /// <summary>A section's own error, unless <paramref name="key"/> failed to parse already.</summary>
    public void Fail(string key, string message)
    {
        if (_failed.Add(Label(key)))
        {
            Errors.Add($"{Label(key)}: {message}");
        }
    }

    private string Label(string key) => _site is null ? key : SiteKeys.Qualified(_site, key);

    public void Timer(TimeSpan value, string key, TimeSpan max, bool allowZero)
    {
        var min = allowZero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(1);
        var low = allowZero ? "0s" : "1ms";
        That(value >= min && value <= max, $"between {low} and {ValueParsers.FormatDuration(max)}", key);
    }

    public void Path(string value, string key)
    {
        That(value.Length > 0 && value.IndexOfAny(System.IO.Path.GetInvalidPathChars()) < 0,
            "a file path (relative paths start at the config file's directory)", key);
    }
}
