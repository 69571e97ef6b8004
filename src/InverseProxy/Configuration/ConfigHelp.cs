using System.Text;

namespace InverseProxy.Configuration;

/// <summary>The text of <c>--help</c>: flags, the override rules and every key with its default.</summary>
internal static class ConfigHelp
{
    public static string Build()
    {
        var text = new StringBuilder();
        text.Append("""
            Usage: InverseProxy [--config PATH] [--check] [--demo] [--KEY VALUE | --KEY=VALUE ...]

              --config PATH   settings file (default ./proxy.conf)
              --check         validate the settings, print the effective values and exit
              --demo          also start the demo origins
              --help, -h      show this text

            Settings come from the file, then INVERSEPROXY_KEY environment variables (e.g. INVERSEPROXY_PORT=9000),
            then --KEY VALUE options (e.g. --port 9000, --cache-size=128MB); later sources win.
            Sizes: bytes or K/KB/KiB, M/MB/MiB, G/GB/GiB (1024-based). Durations: 500ms, 30s, 5m, 1h, 1d; a bare number is seconds.
            Booleans: true/false, on/off, yes/no, 1/0. Relative paths start at the config file's directory.

            Keys (default in brackets):

            """);
        var defaults = new ProxyOptions();
        var width = OptionKeys.All.Max(k => k.Name.Length) + 2;
        foreach (var key in OptionKeys.All)
        {
            var value = key.Render(defaults);
            text.Append("  ").Append(key.Name.PadRight(width)).Append(key.Summary)
                .Append(" [").Append(value.Length == 0 ? "none" : value).Append("]\n");
        }

        return text.ToString();
    }
}
