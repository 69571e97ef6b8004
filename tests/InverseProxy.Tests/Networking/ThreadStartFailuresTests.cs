using InverseProxy.Metrics;
using InverseProxy.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace InverseProxy.Tests.Networking;

public sealed class ThreadStartFailuresTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ILogger _logger = Substitute.For<ILogger>();
    private readonly ProxyMetrics _metrics = new();
    private readonly ThreadStartFailures _failures;

    public ThreadStartFailuresTests()
    {
        _logger.IsEnabled(Arg.Any<LogLevel>()).Returns(true);
        _failures = new ThreadStartFailures("client", _metrics, _logger, _time);
    }

    [Fact]
    public void Refused_ManyWithinASecond_OneWarningEveryRefusalCounted()
    {
        for (int i = 0; i < 5; i++)
        {
            _failures.Refused(new OutOfMemoryException());
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(5, _metrics.ThreadStartFailures);
        Assert.Single(Warnings());
    }

    [Fact]
    public void Refused_AfterASecond_WarnsAgainWithTheCountSinceTheLast()
    {
        _failures.Refused(new OutOfMemoryException());
        _failures.Refused(new OutOfMemoryException());
        _failures.Refused(new OutOfMemoryException());
        _time.Advance(TimeSpan.FromSeconds(1));

        _failures.Refused(new OutOfMemoryException());

        var warnings = Warnings();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(1107, warnings[1].EventId.Id);
        Assert.Contains("3 connection(s) refused", warnings[1].Text); // two held back plus this one
    }

    private List<(EventId EventId, string Text)> Warnings() => _logger.ReceivedCalls()
        .Where(c => c.GetMethodInfo().Name == nameof(ILogger.Log) && (LogLevel)c.GetArguments()[0]! == LogLevel.Warning)
        .Select(c => ((EventId)c.GetArguments()[1]!, c.GetArguments()[2]!.ToString()!))
        .ToList();
}
