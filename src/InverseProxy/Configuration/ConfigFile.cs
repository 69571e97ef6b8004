using System.Text;

namespace InverseProxy.Configuration;

/// <summary>
/// Reads proxy.conf in one go (a reload sees one version of the file, never a mix) and checks its line structure
/// with line numbers before the INI provider parses it. Lines are <c>key = value</c>; comments start with ; or #.
/// </summary>
internal static class ConfigFile
{
    private const int MaxBytes = 1024 * 1024;

    /// <summary>The file's bytes, or null after adding "not found" / "could not be read" to <paramref name="errors"/>.</summary>
    public static byte[]? Read(string fullPath, List<string> errors)
    {
        var shown = ConfigText.Escape(fullPath);
        if (Directory.Exists(fullPath))
        {
            errors.Add($"config file '{shown}' could not be read: it is a directory");
            return null;
        }

        if (!File.Exists(fullPath))
        {
            errors.Add($"config file '{shown}' not found");
            return null;
        }

        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[MaxBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxBytes)
            {
                errors.Add($"config file '{shown}' could not be read: larger than 1MB");
                return null;
            }

            return buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            errors.Add($"config file '{shown}' could not be read: {ConfigText.Escape(e.Message)}");
            return null;
        }
    }

    /// <summary>
    /// Reports sections other than <c>[site:NAME]</c>, lines that are not <c>key = value</c>, and keys repeated within a section. Returns false when the
    /// INI provider could not parse the text (so its data must not be used); unknown sections alone leave it usable.
    /// </summary>
    public static bool Lint(byte[] content, string fullPath, List<string> errors)
    {
        var shown = ConfigText.Escape(fullPath);
        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var sections = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var section = "";
        var parsable = true;
        using var reader = new StreamReader(new MemoryStream(content), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        for (var raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
            {
                continue;
            }

            var where = $"config file '{shown}' line {number}";
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                if (!IsSiteSection(section))
                {
                    errors.Add($"{where}: the only sections are [{SiteKeys.SectionPrefix}:NAME] with NAME of letters, digits, '-' and '_'; other keys are top level (found '{ConfigText.Escape(line)}')");
                }
                else if (!sections.Add(section))
                {
                    errors.Add($"{where}: section '{ConfigText.Escape(line)}' appears twice");
                    parsable = false;
                }
                continue;
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || line[..separator].Trim().Length == 0)
            {
                errors.Add($"{where}: expected key = value (found '{ConfigText.Escape(line)}')");
                parsable = false;
                continue;
            }

            var key = line[..separator].Trim();
            if (!firstLine.TryAdd(section + "]" + key, number))
            {
                errors.Add($"{where}: '{ConfigText.Escape(key)}' is set again (first on line {firstLine[section + "]" + key]})");
                parsable = false;
            }
        }

        return parsable;
    }

    /// <summary>"site:NAME", NAME of letters, digits, '-' and '_'.</summary>
    public static bool IsSiteSection(string section)
    {
        var prefix = SiteKeys.SectionPrefix + ":";
        return section.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && section.Length > prefix.Length
            && section[prefix.Length..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }
}
