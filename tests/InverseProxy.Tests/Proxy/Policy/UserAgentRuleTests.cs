using InverseProxy.Proxy.Policy;

namespace InverseProxy.Tests.Proxy.Policy;

public sealed class UserAgentRuleTests
{
    [Fact]
    public void Test_NestedQuantifierOnLongValue_LinearEngineMisses()
    {
        Assert.True(UserAgentRule.TryCreate("(a+)+$", out var rule, out _));

        Assert.True(rule!.IsLinear);
        // As long as max_header_bytes allows: a linear pattern has no time limit, so a busy machine cannot turn it into a denial.
        Assert.Equal(FilterVerdict.Miss, rule.Test(new string('a', 32 * 1024) + "!"));
        Assert.Equal(FilterVerdict.Match, rule.Test("xaaa"));
    }

    [Fact]
    public void Test_CatastrophicBacktrackingPattern_TimesOut()
    {
        Assert.True(UserAgentRule.TryCreate(@"^(a+)+\1$", out var rule, out _));

        Assert.False(rule!.IsLinear);
        Assert.Equal(FilterVerdict.TimedOut, rule.Test(new string('a', 40) + "!"));
    }

    [Fact]
    public void Test_CaseInsensitive()
    {
        Assert.True(UserAgentRule.TryCreate("^curl/", out var rule, out _));

        Assert.Equal(FilterVerdict.Match, rule!.Test("CURL/8.0"));
        Assert.Equal(FilterVerdict.Miss, rule.Test("Mozilla/5.0 curl/"));
    }

    [Fact]
    public void TryCreate_InvalidPattern_FalseWithReason()
    {
        Assert.False(UserAgentRule.TryCreate("(unclosed", out _, out string? error));
        Assert.NotNull(error);
    }
}
