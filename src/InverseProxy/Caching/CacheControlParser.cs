namespace InverseProxy.Caching;

/// <summary>
/// Splits a Cache-Control field value into directives (RFC 9111 §5.2): comma-separated, case-insensitive names,
/// optional <c>=token</c> or <c>=quoted-string</c> argument. Tolerates stray spaces and empty list elements.
/// </summary>
internal static class CacheControlParser
{
    /// <summary>The largest delta-seconds kept; larger values mean "a very long time" (RFC 9111 §1.2.2).</summary>
    public const long MaxDeltaSeconds = int.MaxValue;

    /// <summary>Calls <paramref name="onDirective"/> with each lower-cased name and its unquoted argument (null if none).</summary>
    public static void Parse<TState>(string? value, ref TState state, DirectiveHandler<TState> onDirective)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        int i = 0;
        while (i < value.Length)
        {
            int end = FindElementEnd(value, i);
            string element = value[i..end].Trim();
            i = end + 1;
            if (element.Length == 0)
            {
                continue;
            }
            int eq = element.IndexOf('=', StringComparison.Ordinal);
            string name = (eq < 0 ? element : element[..eq]).Trim().ToLowerInvariant();
            string? argument = eq < 0 ? null : Unquote(element[(eq + 1)..].Trim());
            if (name.Length > 0)
            {
                onDirective(ref state, name, argument);
            }
        }
    }

    /// <summary>Parses delta-seconds (RFC 9111 §1.2.2): digits only, saturating at <see cref="MaxDeltaSeconds"/>.</summary>
    public static bool TryParseDeltaSeconds(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        long seconds = 0;
        foreach (char c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
            seconds = Math.Min(MaxDeltaSeconds, (seconds * 10) + (c - '0'));
        }
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    // A comma inside a quoted argument (no-cache="a, b") does not end the element.
    private static int FindElementEnd(string value, int start)
    {
        bool quoted = false;
        for (int i = start; i < value.Length; i++)
        {
            char c = value[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                return i;
            }
        }
        return value.Length;
    }

    private static string Unquote(string argument)
    {
        if (argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"')
        {
            return argument[1..^1].Replace("\\", "", StringComparison.Ordinal);
        }
        return argument;
    }
}

internal delegate void DirectiveHandler<TState>(ref TState state, string name, string? argument);
