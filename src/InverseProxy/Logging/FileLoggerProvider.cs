using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>
/// Sends lifecycle and error logs to the <see cref="LogFileWriter"/>, one line each:
/// <c>2026-11-22T10:00:00.123Z INFO  Category[1001] message</c>. Does not own the writer.
/// </summary>
[ProviderAlias("LogFile")]
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly LogFileWriter _writer;
    private readonly LogLevel _minLevel;
    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);

    public FileLoggerProvider(LogFileWriter writer, LogLevel minLevel)
    {
        _writer = writer;
        _minLevel = minLevel;
    }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => new FileLogger(name, self._writer, self._minLevel), this);

    public void Dispose()
    {
        // The writer outlives the logging pipeline: it also carries the access log and is closed last.
    }
}
