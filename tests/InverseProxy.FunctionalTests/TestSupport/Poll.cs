namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>Waits for a condition with a generous deadline instead of sleeping a guessed time; tests assert on the result, never on time.</summary>
internal static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// True as soon as <paramref name="condition"/> holds; false if it still does not after <paramref name="timeout"/>
    /// (15 s unless given). The condition is checked once more at the deadline, so a slow last poll still counts.
    /// </summary>
    public static bool Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        long deadline = Environment.TickCount64 + (long)(timeout ?? DefaultTimeout).TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return condition();
            }
            Thread.Sleep(20);
        }
        return true;
    }
}
