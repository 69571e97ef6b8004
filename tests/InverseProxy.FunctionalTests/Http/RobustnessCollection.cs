namespace InverseProxy.FunctionalTests.Http;

/// <summary>Tests that measure the whole process (threads, memory) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RobustnessCollection
{
    public const string Name = "Process-wide measurements";
}
