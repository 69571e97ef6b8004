using Microsoft.Extensions.Logging;

namespace InverseProxy.Tests.TestSupport;

/// <summary>A logger sink that keeps every event id and formatted message, for asserting what was logged.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(int EventId, string Message)> _events = [];

    public IReadOnlyList<int> EventIds
    {
        get
        {
            lock (_events)
            {
                return _events.Select(e => e.EventId).ToList();
            }
        }
    }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_events)
            {
                return _events.Select(e => e.Message).ToList();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_events)
        {
            _events.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
