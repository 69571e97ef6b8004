using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

/// <summary>One category's logger for <see cref="FileLoggerProvider"/>.</summary>
internal sealed class FileLogger : ILogger
{
    private readonly byte[] _category;
    private readonly LogFileWriter _writer;
    private readonly LogLevel _minLevel;

    public FileLogger(string category, LogFileWriter writer, LogLevel minLevel)
    {
        LineBuffer encoded = new();
        encoded.AppendMessage(category);
        _category = encoded.WrittenSpan.ToArray();
        _writer = writer;
        _minLevel = minLevel;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minLevel;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        LineBuffer line = LineBuffer.Acquire();
        try
        {
            line.AppendIsoUtc(_writer.Time.GetUtcNow());
            line.Append((byte)' ');
            line.Append(LevelText(logLevel));
            line.Append((byte)' ');
            line.Append(_category);
            line.Append((byte)'[');
            line.AppendInt64(eventId.Id);
            line.AppendAscii("] ");
            line.AppendMessage(formatter(state, exception));
            if (exception is not null)
            {
                // The stack trace stays on this line (its line breaks become " | ") so grep finds it with the message.
                line.AppendAscii(" | ");
                line.AppendMessage(exception.ToString());
            }

            _writer.TryWriteLine(line.WrittenSpan);
        }
        finally
        {
            line.Release();
        }
    }

    /// <summary>Five columns wide, so messages line up.</summary>
    internal static ReadOnlySpan<byte> LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE"u8,
        LogLevel.Debug => "DEBUG"u8,
        LogLevel.Information => "INFO "u8,
        LogLevel.Warning => "WARN "u8,
        LogLevel.Error => "ERROR"u8,
        _ => "CRIT "u8,
    };
}
