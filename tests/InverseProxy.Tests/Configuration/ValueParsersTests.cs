using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ValueParsersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1048576", 1048576L)]
    [InlineData("512B", 512L)]
    [InlineData("1K", 1024L)]
    [InlineData("1kb", 1024L)]
    [InlineData("2KiB", 2048L)]
    [InlineData("64MB", 64L * 1024 * 1024)]
    [InlineData("64 mb", 64L * 1024 * 1024)]
    [InlineData("3m", 3L * 1024 * 1024)]
    [InlineData("1MiB", 1024L * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData("2gib", 2L * 1024 * 1024 * 1024)]
    [InlineData("1TB", 1024L * 1024 * 1024 * 1024)]
    [InlineData("  7  ", 7L)]
    public void TryParseSize_ValidText_ReturnsBytes(string text, long expected)
    {
        Assert.True(ValueParsers.TryParseSize(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.5MB")]
    [InlineData("MB")]
    [InlineData("12XB")]
    [InlineData("1e6")]
    [InlineData("9223372036854775807K")]
    [InlineData("99999999999999999999")]
    [InlineData("10 M B")]
    public void TryParseSize_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(ValueParsers.TryParseSize(text, out _));
    }

    [Theory]
    [InlineData("60", 60_000L)]
    [InlineData("0", 0L)]
    [InlineData("500ms", 500L)]
    [InlineData("30s", 30_000L)]
    [InlineData("30S", 30_000L)]
    [InlineData("5m", 300_000L)]
    [InlineData("1h", 3_600_000L)]
    [InlineData("1d", 86_400_000L)]
    [InlineData("2 h", 7_200_000L)]
    public void TryParseDuration_ValidText_ReturnsDuration(string text, long expectedMs)
    {
        Assert.True(ValueParsers.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("1.5s")]
    [InlineData("5 minutes")]
    [InlineData("1w")]
    [InlineData("s")]
    [InlineData("1h30m")]
    [InlineData("99999999999999d")]
    public void TryParseDuration_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(ValueParsers.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("Off", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void TryParseBool_ValidText_ReturnsValue(string text, bool expected)
    {
        Assert.True(ValueParsers.TryParseBool(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("enabled")]
    [InlineData("t")]
    public void TryParseBool_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(ValueParsers.TryParseBool(text, out _));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1000L, "1000")]
    [InlineData(8192L, "8KB")]
    [InlineData(64L * 1024 * 1024, "64MB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3GB")]
    public void FormatSize_Bytes_LargestExactUnit(long bytes, string expected)
    {
        Assert.Equal(expected, ValueParsers.FormatSize(bytes));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1500L, "1500ms")]
    [InlineData(60_000L, "1m")]
    [InlineData(90_000L, "90s")]
    [InlineData(86_400_000L, "1d")]
    public void FormatDuration_Milliseconds_LargestExactUnit(long ms, string expected)
    {
        Assert.Equal(expected, ValueParsers.FormatDuration(TimeSpan.FromMilliseconds(ms)));
    }
}
