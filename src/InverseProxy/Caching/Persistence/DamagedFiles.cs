using System.Globalization;

namespace InverseProxy.Caching.Persistence;

/// <summary>
/// The damaged cache files moved aside as <c>cache.bin.corrupt-yyyyMMddHHmmss[-n]</c>: keeps the newest
/// <c>corrupt_keep</c> so a crash loop on a bad disk cannot fill it with copies of the cache.
/// </summary>
internal static class DamagedFiles
{
    private const string Marker = ".corrupt-";
    private const int StampLength = 14;

    /// <summary>Deletes all but the newest <paramref name="keep"/> damaged files beside <paramref name="path"/>; returns those deleted.</summary>
    public static IReadOnlyList<string> Prune(string path, int keep)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return [];
        }

        string prefix = Path.GetFileName(full) + Marker;
        var found = new List<(string Stamp, int N, string Path)>();
        foreach (string candidate in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            if (TryParse(Path.GetFileName(candidate).AsSpan(prefix.Length), out string stamp, out int n))
            {
                found.Add((stamp, n, candidate));
            }
        }

        // Newest first: the UTC stamp, then the -n that told two files of the same second apart.
        found.Sort((a, b) => a.Stamp == b.Stamp ? b.N.CompareTo(a.N) : string.CompareOrdinal(b.Stamp, a.Stamp));
        var deleted = new List<string>();
        foreach (var (_, _, old) in found.Skip(Math.Max(keep, 0)))
        {
            File.Delete(old);
            deleted.Add(old);
        }

        return deleted;
    }

    /// <summary>Only names this build makes are touched: anything else beside the cache file is someone's.</summary>
    private static bool TryParse(ReadOnlySpan<char> suffix, out string stamp, out int n)
    {
        stamp = "";
        n = 1;
        if (suffix.Length < StampLength || !IsDigits(suffix[..StampLength]))
        {
            return false;
        }

        ReadOnlySpan<char> rest = suffix[StampLength..];
        if (!rest.IsEmpty && (rest[0] != '-' || !IsDigits(rest[1..])
            || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out n)))
        {
            return false;
        }

        stamp = suffix[..StampLength].ToString();
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
}
