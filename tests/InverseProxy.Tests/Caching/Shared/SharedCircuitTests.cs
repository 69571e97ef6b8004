using InverseProxy.Caching.Shared;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Caching.Shared;

public sealed class SharedCircuitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Failed_ThresholdInARow_OpensAndSkipsUntilThePauseEnds()
    {
        var clock = new ManualTimeProvider(Start);
        var circuit = new SharedCircuit(clock);

        Assert.False(circuit.Failed());
        Assert.False(circuit.Failed());
        Assert.True(circuit.Failed());

        Assert.Equal(SharedCircuitState.Open, circuit.State);
        Assert.False(circuit.TryPass());
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(circuit.TryPass());
    }

    [Fact]
    public void Succeeded_BetweenFailures_CountStartsAgain()
    {
        var circuit = new SharedCircuit(new ManualTimeProvider(Start));

        circuit.Failed();
        circuit.Failed();
        circuit.Succeeded();
        circuit.Failed();

        Assert.Equal(SharedCircuitState.Closed, circuit.State);
        Assert.True(circuit.TryPass());
    }

    [Fact]
    public void TryPass_AfterThePause_OneProbeWhoseResultDecides()
    {
        var clock = new ManualTimeProvider(Start);
        var circuit = new SharedCircuit(clock);
        for (int i = 0; i < SharedCircuit.FailureThreshold; i++)
        {
            circuit.Failed();
        }
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(circuit.TryPass());
        Assert.False(circuit.TryPass()); // the probe is out
        Assert.True(circuit.Failed()); // a failed probe opens it again at once
        Assert.False(circuit.TryPass());
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(circuit.TryPass());
        circuit.Succeeded();

        Assert.Equal(SharedCircuitState.Closed, circuit.State);
        Assert.True(circuit.TryPass());
    }
}
