using System.Globalization;

namespace WsLoad;

// utime + stime of processes, in clock ticks, from /proc/PID/stat (a process's figure includes its exited threads).
internal static class CpuClock
{
    public static long Ticks(IEnumerable<int> pids)
    {
        long total = 0;
        foreach (int pid in pids)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                continue;
            }
            // Fields after "pid (comm) ": state is the first, utime and stime the 12th and 13th; comm may hold spaces.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            total += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return total;
    }
}
