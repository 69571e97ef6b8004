using System.Net;
using InverseProxy.Http;
using InverseProxy.Logging;
using Microsoft.Extensions.Logging;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Logging;

public sealed class FileLoggerProviderTests : IDisposable
{
    private static readonly IPEndPoint s_remote = new(IPAddress.Parse("10.0.0.1"), 5000);
    private readonly TempDirectory _dir = new();
    private readonly LogFileWriter _writer;

    public FileLoggerProviderTests()
    {
        _writer = new LogFileWriter(_dir.Combine("proxy.log"), 0, 0, new LogTestClock());
    }

    public void Dispose()
    {
        _writer.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Log_Information_WritesTimeLevelCategoryEventIdAndMessage()
    {
        string[] lines = LogWith(LogLevel.Information, logger =>
            Log.Starting(logger, 8080, "a:1,b:2", "/etc/proxy.conf"));

        Assert.Equal(
            ["2026-11-22T10:00:00.123Z INFO  InverseProxy.Test[1000] Starting on port 8080, targets a:1,b:2, config /etc/proxy.conf"],
            lines);
    }

    [Fact]
    public void Log_BelowMinimumLevel_NotWritten()
    {
        string[] lines = LogWith(LogLevel.Information, logger =>
        {
            Log.ClientProtocolError(logger, 7, s_remote, HttpParseError.BareLineFeed, "x");
            Log.TargetRecovered(logger, "b:2");
        });

        Assert.Equal(["2026-11-22T10:00:00.123Z INFO  InverseProxy.Test[1202] Target b:2 recovered"], lines);
    }

    [Fact]
    public void Log_DebugMinimum_OverridesTheBuilderDefault()
    {
        string[] lines = LogWith(LogLevel.Debug, logger =>
            Log.ClientProtocolError(logger, 7, s_remote, HttpParseError.BareLineFeed, "at 12"));

        Assert.Equal(
            ["2026-11-22T10:00:00.123Z DEBUG InverseProxy.Test[1103] conn=7 10.0.0.1:5000 sent a bad request: BareLineFeed at 12"],
            lines);
    }

    [Fact]
    public void Log_WithException_StaysOnOneLineMarked()
    {
        string[] lines = LogWith(LogLevel.Information, logger =>
            Log.HandlerCrashed(logger, 9, new InvalidOperationException("bad\n   thing")));

        Assert.Equal(
            ["2026-11-22T10:00:00.123Z ERROR InverseProxy.Test[1105] conn=9 handler crashed; connection closed | System.InvalidOperationException: bad | thing"],
            lines);
    }

    [Fact]
    public void Log_ControlCharactersInArguments_Escaped()
    {
        string[] lines = LogWith(LogLevel.Information, logger =>
            Log.UpstreamProtocolError(logger, "b:2", "status line \x1b[31m\0"));

        Assert.Equal(
            ["2026-11-22T10:00:00.123Z WARN  InverseProxy.Test[1204] Target b:2 sent a malformed response: status line \\x1B[31m\\x00"],
            lines);
    }

    private string[] LogWith(LogLevel minLevel, Action<ILogger> log)
    {
        using (ILoggerFactory factory = LoggerFactory.Create(builder => builder.AddLogFile(_writer, minLevel)))
        {
            log(factory.CreateLogger("InverseProxy.Test"));
        }

        Assert.True(_writer.Flush(TimeSpan.FromSeconds(10)));
        return LogFiles.ReadLines(_writer.Path);
    }
}
