namespace InverseProxy.FunctionalTests.TestSupport;

/// <summary>Polls a condition until it holds or a generous deadline passes; tests assert on the result, never on time.</summary>
internal static class Deadline
{
    public static bool WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return condition();
            }
            Thread.Sleep(10);
        }
        return true;
    }
}
