namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>Waits for a condition with a generous deadline instead of sleeping a guessed time.</summary>
internal static class Poll
{
    /// <summary>True as soon as <paramref name="condition"/> holds; false if it still does not after <paramref name="timeout"/>.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }
            Thread.Sleep(20);
        }
        return true;
    }
}
