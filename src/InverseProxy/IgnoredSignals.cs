using System.Globalization;

namespace InverseProxy;

/// <summary>
/// Which signals a process ignores (SIG_IGN), from the SigIgn mask of /proc/PID/status. A process started under
/// nohup inherits SIGHUP ignored; whoever relies on SIGHUP to reload proxy.conf should learn that at start, not
/// when a reload seems to do nothing.
/// </summary>
internal static class IgnoredSignals
{
    public const int SigHup = 1;

    /// <summary>Whether this process ignored SIGHUP when it started; false where /proc is not there to say.</summary>
    public static bool SighupIgnoredAtStart() => IsIgnored("/proc/self/status", SigHup);

    /// <summary>Whether the status file at <paramref name="statusPath"/> lists <paramref name="signal"/> as ignored.</summary>
    public static bool IsIgnored(string statusPath, int signal)
    {
        try
        {
            foreach (string line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    return MaskHas(line.AsSpan("SigIgn:".Length).Trim(), signal);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return false;
    }

    /// <summary>The mask is hexadecimal, bit N-1 standing for signal N.</summary>
    public static bool MaskHas(ReadOnlySpan<char> hexMask, int signal) =>
        ulong.TryParse(hexMask, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong mask)
        && signal is >= 1 and <= 64
        && (mask & (1UL << (signal - 1))) != 0;
}
