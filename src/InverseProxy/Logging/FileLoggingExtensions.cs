using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace InverseProxy.Logging;

internal static class FileLoggingExtensions
{
    /// <summary>
    /// Adds the log-file provider with its own minimum level, which also overrides the builder's default minimum
    /// (Information) for this provider, so <c>log_level = Debug</c> takes effect.
    /// </summary>
    public static ILoggingBuilder AddLogFile(this ILoggingBuilder builder, LogFileWriter writer, LogLevel minLevel)
    {
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<ILoggerProvider, FileLoggerProvider>(_ => new FileLoggerProvider(writer, minLevel)));
        builder.AddFilter<FileLoggerProvider>(null, minLevel);
        return builder;
    }
}
