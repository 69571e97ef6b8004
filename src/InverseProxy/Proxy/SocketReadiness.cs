using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InverseProxy.Proxy;

/// <summary>Which of two sockets has something to read (bytes, end of stream or an error).</summary>
[Flags]
internal enum Readiness
{
    None = 0,
    First = 1,
    Second = 2,
}

/// <summary>
/// Waits for either of two sockets to become readable, with poll(2) on Linux: no allocation and no thread per tunnel.
/// Elsewhere Socket.Select, which allocates its lists.
/// </summary>
internal static unsafe partial class SocketReadiness
{
    private const short PollIn = 0x001;
    private const short PollErr = 0x008;
    private const short PollHup = 0x010;
    private const int EIntr = 4;

    private static readonly bool s_native = OperatingSystem.IsLinux();

    /// <summary>Waits up to <paramref name="timeoutMs"/> for <paramref name="first"/> or <paramref name="second"/> (null = not watched).</summary>
    public static Readiness Wait(Socket? first, Socket? second, int timeoutMs)
    {
        if (!s_native)
        {
            return WaitManaged(first, second, timeoutMs);
        }
        var handles = (first?.SafeHandle, second?.SafeHandle);
        bool addedFirst = false;
        bool addedSecond = false;
        try
        {
            handles.Item1?.DangerousAddRef(ref addedFirst);
            handles.Item2?.DangerousAddRef(ref addedSecond);
            PollFd* fds = stackalloc PollFd[2];
            fds[0] = new PollFd { Fd = handles.Item1 is null ? -1 : (int)handles.Item1.DangerousGetHandle(), Events = PollIn };
            fds[1] = new PollFd { Fd = handles.Item2 is null ? -1 : (int)handles.Item2.DangerousGetHandle(), Events = PollIn };
            while (true)
            {
                int n = Poll(fds, 2, timeoutMs);
                if (n >= 0)
                {
                    var ready = Readiness.None;
                    if ((fds[0].Revents & (PollIn | PollErr | PollHup)) != 0)
                    {
                        ready |= Readiness.First;
                    }
                    if ((fds[1].Revents & (PollIn | PollErr | PollHup)) != 0)
                    {
                        ready |= Readiness.Second;
                    }
                    return ready;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EIntr)
                {
                    throw new SocketException(errno);
                }
            }
        }
        finally
        {
            if (addedFirst)
            {
                handles.Item1!.DangerousRelease();
            }
            if (addedSecond)
            {
                handles.Item2!.DangerousRelease();
            }
        }
    }

    private static Readiness WaitManaged(Socket? first, Socket? second, int timeoutMs)
    {
        var read = new List<Socket>(2);
        if (first is not null)
        {
            read.Add(first);
        }
        if (second is not null)
        {
            read.Add(second);
        }
        long micro = timeoutMs * 1000L;
        Socket.Select(read, null, null, micro > int.MaxValue ? -1 : (int)micro);
        var ready = Readiness.None;
        if (first is not null && read.Contains(first))
        {
            ready |= Readiness.First;
        }
        if (second is not null && read.Contains(second))
        {
            ready |= Readiness.Second;
        }
        return ready;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
