namespace InverseProxy.LoadTest;

/// <summary>
/// <c>InverseProxy loadtest URL ...</c>: runs one load test, a progress line on standard error once a second, the
/// result on standard output. Exit 0 when it ran, 2 for a bad argument (one line naming it).
/// </summary>
internal static class LoadTestCommand
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors, TimeProvider time)
    {
        var (plan, error) = LoadTestArguments.Parse(args, File.ReadAllBytes);
        if (plan is null)
        {
            errors.WriteLine($"inverseproxy: loadtest: {error}");
            return 2;
        }
        errors.WriteLine($"loadtest: {plan.Method} {plan.Url} over {plan.Connections} connections for {plan.Duration.TotalSeconds:0}s");
        var run = new LoadRun(plan, time);
        var finished = run.RunAsync(CancellationToken.None);
        while (!finished.Wait(ProgressEvery))
        {
            errors.WriteLine(run.Progress().ToLine());
        }
        output.Write(finished.Result.ToText());
        return 0;
    }
}
