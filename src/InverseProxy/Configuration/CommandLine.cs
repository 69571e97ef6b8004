namespace InverseProxy.Configuration;

/// <summary>
/// What the command line asked for: <c>--config PATH</c>, <c>--check</c>, <c>--demo</c>, <c>--help</c>, and
/// <c>--key value</c> / <c>--key=value</c> overrides (dashes may stand for underscores: <c>--cache-size</c>).
/// When an option repeats, the last one wins, so scripts can append overrides.
/// </summary>
internal sealed class CommandLine
{
    private CommandLine()
    {
    }

    public string? ConfigPath { get; private set; }

    public bool CheckOnly { get; private set; }

    public bool Demo { get; private set; }

    public bool ShowHelp { get; private set; }

    /// <summary>Key name (as in proxy.conf) to raw value.</summary>
    public Dictionary<string, string> Overrides { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Errors { get; } = new();

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?")
            {
                result.ShowHelp = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                result.Errors.Add($"unexpected argument '{ConfigText.Escape(arg)}' (options start with --; see --help)");
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? arg[2..] : arg[2..equals]).Replace('-', '_').ToLowerInvariant();
            var inlineValue = equals < 0 ? null : arg[(equals + 1)..];
            i = result.Apply(equals < 0 ? arg : arg[..equals], name, inlineValue, args, i);
        }

        return result;
    }

    /// <summary>Records one option; returns the index of the last argument it consumed.</summary>
    private int Apply(string spelled, string name, string? inlineValue, IReadOnlyList<string> args, int index)
    {
        var option = ConfigText.Escape(spelled);
        if (name is "check" or "demo" or "help")
        {
            if (inlineValue is not null)
            {
                Errors.Add($"option '{option}' takes no value");
            }

            CheckOnly |= name == "check";
            Demo |= name == "demo";
            ShowHelp |= name == "help";
            return index;
        }

        var known = name == "config" || OptionKeys.Find(name) is not null;
        var hasNext = index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal);
        var value = inlineValue ?? (hasNext ? args[index + 1] : null);
        var consumed = inlineValue is null && hasNext ? index + 1 : index;
        if (!known)
        {
            var suggestion = KeySuggester.Suggest(name, OptionKeys.Names.Append("config").Append("check").Append("demo"));
            var dashed = spelled.IndexOf('-', 2) >= 0 ? suggestion?.Replace('_', '-') : suggestion;
            Errors.Add(suggestion is null
                ? $"unknown option '{option}' (see --help)"
                : $"unknown option '{option}' (did you mean '--{dashed}'?)");
            return consumed;
        }

        if (value is null)
        {
            Errors.Add($"option '{option}' needs a value");
            return index;
        }

        if (name == "config")
        {
            ConfigPath = value;
        }
        else
        {
            Overrides[name] = value;
        }

        return consumed;
    }
}
