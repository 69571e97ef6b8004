using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class ConfigTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\rb\t", "a\\rb\\t")]
    [InlineData("\u001b[31m", "\\x1B[31m")]
    [InlineData("nul\0", "nul\\x00")]
    [InlineData("del\u007f", "del\\x7F")]
    public void Escape_ControlCharacters_AreEscaped(string text, string expected)
    {
        Assert.Equal(expected, ConfigText.Escape(text));
    }

    [Fact]
    public void Escape_LongText_IsClipped()
    {
        var escaped = ConfigText.Escape(new string('x', 1000));
        Assert.Equal(203, escaped.Length);
        Assert.EndsWith("...", escaped);
    }
}
