using System.Globalization;
using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.LoadTest;

/// <summary>
/// Reads <c>loadtest URL --connections N --duration 30s [--method POST --body FILE] [--header 'Name: value']</c>.
/// Pure apart from reading the body file; every error names the argument and says what it must be.
/// </summary>
internal static class LoadTestArguments
{
    /// <summary>Connections one command may open: a load generator, not a flood.</summary>
    public const int MaxConnections = 1000;

    /// <summary>The longest run one command may make.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    public const int DefaultConnections = 10;

    /// <summary>A plan, or the one error that stopped reading (the first bad argument).</summary>
    public static (LoadTestPlan? Plan, string? Error) Parse(IReadOnlyList<string> args, Func<string, byte[]> readFile)
    {
        Uri? url = null;
        int connections = DefaultConnections;
        TimeSpan duration = DefaultDuration;
        string method = "GET";
        byte[]? body = null;
        var headers = new List<KeyValuePair<string, string>>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (url is not null)
                {
                    return Fail($"unexpected argument '{WireText(arg)}': give one URL");
                }
                if (!TryUrl(arg, out url))
                {
                    return Fail($"URL must be an absolute http:// URL (was '{WireText(arg)}')");
                }
                continue;
            }
            if (i + 1 >= args.Count)
            {
                return Fail($"{arg} needs a value");
            }
            string value = args[++i];
            string? error = arg switch
            {
                "--connections" => TryConnections(value, out connections),
                "--duration" => TryDuration(value, out duration),
                "--method" => TryMethod(value, out method),
                "--body" => TryBody(value, readFile, out body),
                "--header" => TryHeader(value, headers),
                _ => $"unknown option '{WireText(arg)}': use --connections, --duration, --method, --body or --header",
            };
            if (error is not null)
            {
                return Fail(error);
            }
        }
        if (url is null)
        {
            return Fail("URL is missing: loadtest http://host:port/path [--connections N] [--duration 30s]");
        }
        return (new LoadTestPlan(url, connections, duration) { Method = method, Body = body, Headers = headers }, null);
    }

    private static (LoadTestPlan?, string?) Fail(string error) => (null, error);

    private static bool TryUrl(string text, out Uri? url) =>
        Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme == Uri.UriSchemeHttp && url.Host.Length > 0;

    private static string? TryConnections(string value, out int connections) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out connections) && connections is >= 1 and <= MaxConnections
            ? null
            : $"--connections must be a whole number from 1 to {MaxConnections} (was '{WireText(value)}')";

    private static string? TryDuration(string value, out TimeSpan duration) =>
        ValueParsers.TryParseDuration(value, out duration) && duration >= TimeSpan.FromSeconds(1) && duration <= MaxDuration
            ? null
            : $"--duration must be a duration from 1s to 10m, like 30s (was '{WireText(value)}')";

    private static string? TryMethod(string value, out string method)
    {
        method = value;
        return HttpChars.IsToken(value)
            ? null
            : $"--method must be an HTTP method token, like GET or POST (was '{WireText(value)}')";
    }

    private static string? TryBody(string path, Func<string, byte[]> readFile, out byte[]? body)
    {
        try
        {
            body = readFile(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            body = null;
            return $"--body must name a readable file (was '{WireText(path)}': {e.Message})";
        }
    }

    private static string? TryHeader(string value, List<KeyValuePair<string, string>> headers)
    {
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        string name = colon > 0 ? value[..colon] : "";
        string field = colon > 0 ? value[(colon + 1)..].Trim() : "";
        if (!HttpChars.IsToken(name) || field.Any(c => char.IsControl(c) && c != '\t'))
        {
            return $"--header must be 'Name: value' with a token name and no control characters (was '{WireText(value)}')";
        }
        headers.Add(new(name, field));
        return null;
    }

    private static string WireText(string text) => ConfigText.Escape(text);
}
