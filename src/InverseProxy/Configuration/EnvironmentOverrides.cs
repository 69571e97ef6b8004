using System.Collections;

namespace InverseProxy.Configuration;

/// <summary>Reads <c>INVERSEPROXY_&lt;KEY&gt;</c> variables (e.g. INVERSEPROXY_CACHE_SIZE=128MB) as overrides of the file.</summary>
internal static class EnvironmentOverrides
{
    /// <summary>Key name to raw value; a variable with the prefix but no matching key is an error, like an unknown key.</summary>
    public static Dictionary<string, string> Read(IDictionary environment, List<string> errors)
    {
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string name
                || !name.StartsWith(ConfigLoader.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var keyName = name[ConfigLoader.EnvironmentPrefix.Length..];
            var key = OptionKeys.Find(keyName);
            if (key is null)
            {
                var suggestion = KeySuggester.Suggest(keyName, OptionKeys.Names);
                errors.Add(suggestion is null
                    ? $"unknown environment variable '{ConfigText.Escape(name)}'"
                    : $"unknown environment variable '{ConfigText.Escape(name)}' (did you mean '{ConfigLoader.EnvironmentPrefix}{suggestion.ToUpperInvariant()}'?)");
                continue;
            }

            overrides[key.Name] = entry.Value as string ?? "";
        }

        return overrides;
    }
}
