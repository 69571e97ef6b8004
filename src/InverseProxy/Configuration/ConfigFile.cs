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
    /// Reports sections, lines that are not <c>key = value</c>, and repeated keys. Returns false when the
    /// INI provider could not parse the text (so its data must not be used); sections alone leave it usable.
    /// </summary>
    public static bool Lint(byte[] content, string fullPath, List<string> errors)
    {
        var shown = ConfigText.Escape(fullPath);
        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
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
                errors.Add($"{where}: sections are not used, keys are top level (found '{ConfigText.Escape(line)}')");
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
            if (!firstLine.TryAdd(key, number))
            {
                errors.Add($"{where}: '{ConfigText.Escape(key)}' is set again (first on line {firstLine[key]})");
                parsable = false;
            }
        }

        return parsable;
    }
}
