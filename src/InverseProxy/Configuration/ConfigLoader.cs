using System.Collections;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace InverseProxy.Configuration;

/// <summary>
/// Loads proxy.conf, then <c>INVERSEPROXY_KEY</c> environment variables, then <c>--key value</c> options, later
/// layers winning, binds every key strictly and validates the result. Stateless: a reload calls
/// <see cref="Load"/> again and gets a fresh <see cref="ProxyOptions"/> or errors, never a half-applied mix.
/// </summary>
internal static class ConfigLoader
{
    public const string EnvironmentPrefix = "INVERSEPROXY_";
    public const string DefaultConfigPath = "proxy.conf";

    public static string HelpText => ConfigHelp.Build();

    /// <param name="args">The process arguments.</param>
    /// <param name="environment">Environment.GetEnvironmentVariables() in production.</param>
    public static ConfigLoadResult Load(string[] args, IDictionary environment)
    {
        var commandLine = CommandLine.Parse(args);
        var configPath = Path.GetFullPath(commandLine.ConfigPath ?? DefaultConfigPath);
        if (commandLine.ShowHelp)
        {
            return new ConfigLoadResult { ConfigPath = configPath, ShowHelp = true, CheckOnly = commandLine.CheckOnly, Demo = commandLine.Demo };
        }

        var errors = new List<string>(commandLine.Errors);
        var fromEnvironment = EnvironmentOverrides.Read(environment, errors);
        var content = ConfigFile.Read(configPath, errors);
        if (content is null || !ConfigFile.Lint(content, configPath, errors))
        {
            // Without the file's values, validating the rest would only add noise such as "targets: none".
            return new ConfigLoadResult { Errors = errors, ConfigPath = configPath, CheckOnly = commandLine.CheckOnly, Demo = commandLine.Demo };
        }

        var options = Bind(content, fromEnvironment, commandLine.Overrides, errors);
        if (errors.Count == 0)
        {
            var directory = Path.GetDirectoryName(configPath) ?? Directory.GetCurrentDirectory();
            options.PathToPersistence = Path.GetFullPath(options.PathToPersistence, directory);
            options.PathToLog = Path.GetFullPath(options.PathToLog, directory);
            foreach (var settings in options.Sites.Select(s => s.Settings).Prepend(options).Where(s => s.DenyHostsFile.Length > 0))
            {
                settings.DenyHostsFile = ResolveFile(settings.DenyHostsFile, directory, "deny_hosts_file", "", errors);
            }
            ResolveUsersFile(options, directory, "proxy_auth_users", errors);
            ResolveTlsFiles(options, directory);
            foreach (var site in options.Sites)
            {
                // A site that inherits the file is reported once, under the top-level key.
                bool own = site.KeysSet.Contains("proxy_auth_users");
                ResolveUsersFile(site.Settings, directory, SiteKeys.Qualified(site.Name, "proxy_auth_users"), own ? errors : []);
                ResolveTlsFiles(site.Settings, directory);
            }
        }

        return new ConfigLoadResult
        {
            Options = errors.Count == 0 ? options : null,
            Errors = errors,
            ConfigPath = configPath,
            CheckOnly = commandLine.CheckOnly,
            Demo = commandLine.Demo,
        };
    }

    /// <summary>
    /// The effective settings as <c>key = value</c> lines, in proxy.conf order, then each site's section with its hosts,
    /// where its requests go, and the settings it overrides; each line parses back to the same value.
    /// </summary>
    public static string Describe(ProxyOptions options)
    {
        var text = new StringBuilder();
        foreach (var key in OptionKeys.All)
        {
            var value = ConfigText.Escape(key.Render(options));
            text.Append(key.Name).Append(value.Length == 0 ? " =" : " = " + value).Append('\n');
        }

        foreach (var site in options.Sites)
        {
            text.Append('\n').Append('[').Append(SiteKeys.SectionPrefix).Append(':').Append(site.Name).Append("]\n");
            // Where the site's requests go: its list, or a template and what it may resolve into.
            bool templated = !string.IsNullOrEmpty(site.TargetTemplate);
            foreach (var key in SiteKeys.All.Where(k => templated || k.Name is not ("target_template" or "allow_targets")))
            {
                AppendLine(text, key.Name, key.Render(site));
            }
            foreach (var key in OptionKeys.All.Where(k => k.PerSite && (k.Name == "targets" ? !templated : site.KeysSet.Contains(k.Name))))
            {
                AppendLine(text, key.Name, key.Render(site.Settings));
            }
        }

        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, string name, string raw)
    {
        var value = ConfigText.Escape(raw);
        text.Append(name).Append(value.Length == 0 ? " =" : " = " + value).Append('\n');
    }

    /// <summary>What <c>--check</c> prints, in the manner of <c>nginx -t</c>.</summary>
    public static string FormatCheckReport(ConfigLoadResult result)
    {
        var shown = ConfigText.Escape(result.ConfigPath);
        if (result.Options is null)
        {
            return string.Concat(result.Errors.Select(e => e + "\n")) + $"configuration file {shown} test failed\n";
        }

        return Describe(result.Options) + $"configuration file {shown} test is successful\n";
    }

    private static ProxyOptions Bind(byte[] content, Dictionary<string, string> fromEnvironment,
        Dictionary<string, string> fromCommandLine, List<string> errors)
    {
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .AddIniStream(new MemoryStream(content))
                .AddInMemoryCollection(fromEnvironment!)
                .AddInMemoryCollection(fromCommandLine!)
                .Build();
        }
        catch (FormatException e)
        {
            // The line check above should have caught whatever the provider refuses; keep its word as a fallback.
            errors.Add("config file could not be parsed: " + ConfigText.Escape(e.Message));
            configuration = new ConfigurationBuilder().Build();
        }

        ReportUnknownKeys(configuration, errors);
        var options = new ProxyOptions();
        var unparsed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in OptionKeys.All)
        {
            var raw = configuration[key.Name];
            if (raw is null)
            {
                continue;
            }

            var source = fromCommandLine.ContainsKey(key.Name) ? key.OptionName
                : fromEnvironment.ContainsKey(key.Name) ? key.EnvironmentName : "";
            var failures = new BindFailures(errors, key.Name, raw, source);
            key.Bind(options, raw, failures);
            if (failures.Any)
            {
                unparsed.Add(key.Name);
            }
        }

        options.Sites = BindSites(configuration, options, errors, unparsed);
        errors.AddRange(ProxyOptionsValidator.Validate(options, unparsed));
        return options;
    }

    /// <summary>
    /// Each <c>[site:NAME]</c> section onto a copy of the top-level settings: site-only keys, then the per-site keys it
    /// overrides. Targets are never inherited: a site has its own or a template. Failed keys go to <paramref name="unparsed"/>
    /// qualified with the section, so the validator does not report them twice.
    /// </summary>
    private static List<SiteOptions> BindSites(IConfiguration configuration, ProxyOptions options, List<string> errors, HashSet<string> unparsed)
    {
        var sites = new List<SiteOptions>();
        foreach (var section in configuration.GetSection(SiteKeys.SectionPrefix).GetChildren())
        {
            var site = SiteOptions.Inherit(section.Key, options);
            foreach (var (name, raw) in section.AsEnumerable(makePathsRelative: true))
            {
                if (raw is null)
                {
                    continue;
                }
                var qualified = SiteKeys.Qualified(site.Name, name);
                var failures = new BindFailures(errors, qualified, raw, "");
                if (SiteKeys.Bind(site, name, raw, failures) is { } refused)
                {
                    errors.Add(refused);
                }
                else if (failures.Any)
                {
                    unparsed.Add(qualified);
                }
            }
            sites.Add(site);
        }
        return sites;
    }

    /// <summary>Environment and command-line keys were checked as they were read, so any stranger here is from the file.</summary>
    private static void ReportUnknownKeys(IConfiguration configuration, List<string> errors)
    {
        foreach (var (name, value) in configuration.AsEnumerable())
        {
            // A [section] shows up as a null-valued parent and ':'-joined children; the line check reported it.
            if (value is null || name.Contains(':', StringComparison.Ordinal) || OptionKeys.Find(name) is not null)
            {
                continue;
            }

            var suggestion = KeySuggester.Suggest(name, OptionKeys.Names);
            errors.Add(suggestion is null
                ? $"unknown key '{ConfigText.Escape(name)}'"
                : $"unknown key '{ConfigText.Escape(name)}' (did you mean '{suggestion}'?)");
        }
    }

    private static void ResolveTlsFiles(ProxyOptions options, string directory)
    {
        if (options.TlsCertificate.Length > 0)
        {
            options.TlsCertificate = Path.GetFullPath(options.TlsCertificate, directory);
        }
        if (options.TlsKey.Length > 0)
        {
            options.TlsKey = Path.GetFullPath(options.TlsKey, directory);
        }
    }

    /// <summary>Makes a relative users file relative to the config file's directory; a missing one is an error naming <paramref name="key"/>.</summary>
    private static void ResolveUsersFile(ProxyOptions options, string directory, string key, List<string> errors)
    {
        if (options.ProxyAuthUsers.Length > 0)
        {
            options.ProxyAuthUsers = ResolveFile(options.ProxyAuthUsers, directory, key, " of user:hash lines", errors);
        }
    }

    /// <summary>
    /// <paramref name="path"/> made relative to the config file's directory; when no file is there, an error naming
    /// <paramref name="key"/>, once (sites inheriting the same file would repeat it).
    /// </summary>
    private static string ResolveFile(string path, string directory, string key, string what, List<string> errors)
    {
        string full = Path.GetFullPath(path, directory);
        string missing = $"{key}: '{ConfigText.Escape(full)}' is not a readable file{what}";
        if (!File.Exists(full) && !errors.Contains(missing))
        {
            errors.Add(missing);
        }
        return full;
    }
}
