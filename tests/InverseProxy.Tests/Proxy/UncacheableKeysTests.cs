using InverseProxy.Proxy;
using InverseProxy.Tests.TestSupport;

namespace InverseProxy.Tests.Proxy;

public sealed class UncacheableKeysTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly UncacheableKeys _keys;

    public UncacheableKeysTests()
    {
        _keys = new UncacheableKeys(_time);
    }

    [Fact]
    public void Contains_NeverMarked_False()
    {
        Assert.False(_keys.Contains("http|h|/a"));
    }

    [Fact]
    public void Mark_ThenContains_TrueForThirtySeconds()
    {
        _keys.Mark("http|h|/a");

        Assert.True(_keys.Contains("http|h|/a"));
        _time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.True(_keys.Contains("http|h|/a"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_keys.Contains("http|h|/a"));
    }

    [Fact]
    public void Mark_Again_RestartsTheThirtySeconds()
    {
        _keys.Mark("k");
        _time.Advance(TimeSpan.FromSeconds(20));

        _keys.Mark("k");
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.True(_keys.Contains("k"));
    }

    [Fact]
    public void Contains_OtherKeyOrOtherCase_False()
    {
        _keys.Mark("http|h|/a");

        Assert.False(_keys.Contains("http|h|/b"));
        Assert.False(_keys.Contains("HTTP|h|/a"));
    }

    [Fact]
    public void Forget_MarkedKey_NoLongerContained()
    {
        _keys.Mark("k");

        _keys.Forget("k");

        Assert.False(_keys.Contains("k"));
    }

    [Fact]
    public void Mark_AtCapacity_ForgetsEverythingElseAndKeepsTheNewKey()
    {
        for (int i = 0; i < 10_000; i++)
        {
            _keys.Mark("k" + i);
        }
        Assert.True(_keys.Contains("k0"));
        Assert.True(_keys.Contains("k9999"));

        _keys.Mark("new");

        Assert.True(_keys.Contains("new"));
        Assert.False(_keys.Contains("k0"));
        Assert.False(_keys.Contains("k9999"));
    }
}
