using System.Text.RegularExpressions;

namespace InverseProxy.Proxy.Policy;

/// <summary>
/// The <c>deny_user_agents</c> regex, case-insensitive. The non-backtracking engine is used when the pattern allows
/// it: its time grows linearly with the value, which max_header_bytes bounds, so it runs without a time limit (a
/// limit there would only deny honest clients on a busy machine). A pattern it cannot run (backreferences,
/// lookarounds) falls back to the backtracking engine with a time limit, which is what stops a catastrophic pattern
/// such as <c>(a+)+\1$</c>.
/// </summary>
internal sealed class UserAgentRule
{
    /// <summary>The limit of a backtracking pattern: long enough for a sane one on a head-sized value, short enough that a thread is never held.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private readonly Regex _regex;

    private UserAgentRule(Regex regex)
    {
        _regex = regex;
    }

    /// <summary>Whether the non-backtracking engine runs this pattern.</summary>
    public bool IsLinear => (_regex.Options & RegexOptions.NonBacktracking) != 0;

    /// <summary>The rule for <paramref name="pattern"/>; null rule for an empty one; false with a reason when it does not parse.</summary>
    public static bool TryCreate(string pattern, out UserAgentRule? rule, out string? error)
    {
        rule = null;
        error = null;
        if (pattern.Length == 0)
        {
            return true;
        }
        try
        {
            rule = new UserAgentRule(Create(pattern));
            return true;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Match, miss, or time limit reached. A user agent that exhausts the limit is treated as a match: it was
    /// crafted against the pattern, and failing open would let it through every time.
    /// </summary>
    public FilterVerdict Test(ReadOnlySpan<char> userAgent)
    {
        try
        {
            return _regex.IsMatch(userAgent) ? FilterVerdict.Match : FilterVerdict.Miss;
        }
        catch (RegexMatchTimeoutException)
        {
            return FilterVerdict.TimedOut;
        }
    }

    private static Regex Create(string pattern)
    {
        try
        {
            return new Regex(pattern, Options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, Options, MatchTimeout);
        }
    }
}

/// <summary>What one rule made of a request.</summary>
internal enum FilterVerdict
{
    Miss,
    Match,
    TimedOut,
}
