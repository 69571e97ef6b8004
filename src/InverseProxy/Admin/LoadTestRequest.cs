using System.Globalization;
using System.Net;
using InverseProxy.Configuration;
using InverseProxy.Http;

namespace InverseProxy.Admin;

/// <summary>
/// What <c>POST /load-test?path=/p&amp;connections=N&amp;duration=10s&amp;host=site</c> asks for, read from the query
/// and held to admin_loadtest_connections and admin_loadtest_duration. Pure; errors name the parameter. There is no
/// URL to give: the test always goes to this proxy's own port, so the admin port cannot aim load at anyone else.
/// </summary>
internal sealed record LoadTestRequest(string Path, string? Host, int Connections, TimeSpan Duration)
{
    private const int MaxPathLength = 2048;
    private const int MaxHostLength = 255;

    public static (LoadTestRequest? Request, string? Error) Parse(string query, int maxConnections, TimeSpan maxDuration)
    {
        var fields = ReadQuery(query);
        string path = fields.GetValueOrDefault("path", "/");
        string? host = fields.GetValueOrDefault("host") is { Length: > 0 } h ? h : null;
        string connectionsText = fields.GetValueOrDefault("connections", "10");
        string durationText = fields.GetValueOrDefault("duration", "10s");
        // "//host/..." would read as a network-path reference (RFC 3986 §4.2) wherever the URL is re-parsed.
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Length > MaxPathLength || !HttpChars.IsValidTargetBytes(System.Text.Encoding.Latin1.GetBytes(path)) || path.Any(c => c > 0x7e))
        {
            return Fail($"path must start with a single / and be printable ASCII of at most {MaxPathLength} characters (was '{ConfigText.Escape(path)}')");
        }
        if (host is not null && (host.Length > MaxHostLength || !host.All(IsHostChar)))
        {
            return Fail($"host must be a host name, optionally with :port (was '{ConfigText.Escape(host)}')");
        }
        if (!int.TryParse(connectionsText, NumberStyles.None, CultureInfo.InvariantCulture, out int connections) || connections < 1 || connections > maxConnections)
        {
            return Fail($"connections must be a whole number from 1 to {maxConnections} (admin_loadtest_connections) (was '{ConfigText.Escape(connectionsText)}')");
        }
        if (!ValueParsers.TryParseDuration(durationText, out var duration) || duration < TimeSpan.FromSeconds(1) || duration > maxDuration)
        {
            return Fail($"duration must be from 1s to {ValueParsers.FormatDuration(maxDuration)} (admin_loadtest_duration) (was '{ConfigText.Escape(durationText)}')");
        }
        return (new LoadTestRequest(path, host, connections, duration), null);
    }

    private static (LoadTestRequest?, string?) Fail(string error) => (null, error);

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']';

    private static Dictionary<string, string> ReadQuery(string query)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pair : pair[..equals];
            string value = equals < 0 ? "" : pair[(equals + 1)..];
            fields[WebUtility.UrlDecode(name)] = WebUtility.UrlDecode(value);
        }
        return fields;
    }
}
