using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class KeySuggesterTests
{
    [Theory]
    [InlineData("prot", "port")]
    [InlineData("cache-size", "cache_size")]
    [InlineData("cachesize", "cache_size")]
    [InlineData("target", "targets")]
    [InlineData("unit_tiem", "unit_time")]
    public void Suggest_CloseTypo_ReturnsKey(string typed, string expected)
    {
        Assert.Equal(expected, KeySuggester.Suggest(typed, OptionKeys.Names));
    }

    [Fact]
    public void Suggest_NothingClose_ReturnsNull()
    {
        Assert.Null(KeySuggester.Suggest("colour_scheme", OptionKeys.Names));
    }
}
