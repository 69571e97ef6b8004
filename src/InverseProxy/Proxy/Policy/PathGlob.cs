using System.Text;
using System.Text.RegularExpressions;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// The <c>deny_paths</c> globs as one anchored, case-insensitive regex run by the non-backtracking engine, so its
/// time is linear in the path whatever the globs: <c>*</c> matches within one segment, <c>**</c> across segments.
/// </summary>
internal static class PathGlob
{
    public static bool IsValid(string glob) => glob.Length > 0 && glob[0] is '/' or '*';

    /// <summary>One regex for all of <paramref name="globs"/>; null when there are none.</summary>
    public static Regex? Compile(IReadOnlyList<string> globs)
    {
        if (globs.Count == 0)
        {
            return null;
        }
        var pattern = new StringBuilder("^(?:");
        for (int i = 0; i < globs.Count; i++)
        {
            pattern.Append(i == 0 ? "" : "|").Append(ToPattern(globs[i]));
        }
        pattern.Append(")$");
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    private static string ToPattern(string glob)
    {
        var pattern = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*')
            {
                pattern.Append(Regex.Escape(glob[i].ToString()));
            }
            else if (i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append("[^/]*");
            }
        }
        return pattern.ToString();
    }
}
