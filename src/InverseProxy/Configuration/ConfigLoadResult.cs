namespace InverseProxy.Configuration;

/// <summary>The outcome of one <see cref="ConfigLoader.Load"/>: usable options, or every reason they are not.</summary>
internal sealed class ConfigLoadResult
{
    /// <summary>The validated options with absolute paths; null whenever <see cref="Errors"/> is not empty or help was asked for.</summary>
    public ProxyOptions? Options { get; init; }

    /// <summary>One line per problem, naming the key, the value and what was expected.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The absolute path of the config file used (or looked for).</summary>
    public string ConfigPath { get; init; } = "";

    /// <summary><c>--check</c>: validate, report and exit without serving.</summary>
    public bool CheckOnly { get; init; }

    /// <summary><c>--demo</c>: also start the demo origins.</summary>
    public bool Demo { get; init; }

    /// <summary><c>--help</c> / <c>-h</c>: print <see cref="ConfigLoader.HelpText"/> and exit.</summary>
    public bool ShowHelp { get; init; }
}
