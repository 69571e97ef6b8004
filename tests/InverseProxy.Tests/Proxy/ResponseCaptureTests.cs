using System.Text;
using InverseProxy.Caching;
using InverseProxy.Proxy;

namespace InverseProxy.Tests.Proxy;

public sealed class ResponseCaptureTests
{
    [Fact]
    public void Append_UnderTheLimit_KeepsEveryByte()
    {
        var capture = new ResponseCapture(limit: 1000, expectedLength: -1);

        capture.Append(Bytes("hello "));
        capture.Append(Bytes("world"));

        Assert.False(capture.Overflowed);
        Assert.Equal("hello world", Encoding.ASCII.GetString(capture.ToArray()));
    }

    [Fact]
    public void Append_UnknownLengthBeyondTheFirstBuffer_GrowsAndKeepsOrder()
    {
        var body = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        var capture = new ResponseCapture(limit: 1_000_000, expectedLength: -1);

        foreach (var piece in body.Chunk(7_000))
        {
            capture.Append(piece);
        }

        Assert.Equal(body, capture.ToArray());
    }

    /// <summary>A stored body lives until evicted: it starts in the oldest generation, where it is never copied.</summary>
    [Theory]
    [InlineData(11)] // sized from Content-Length
    [InlineData(-1)] // grown, then copied to its length
    public void ToArray_BodyToStore_IsOnThePinnedHeapNotTheYoungGeneration(long expectedLength)
    {
        var capture = new ResponseCapture(limit: 1000, expectedLength);
        capture.Append(Bytes("hello world"));

        var body = capture.ToArray();

        Assert.Equal("hello world", Encoding.ASCII.GetString(body));
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(body));
    }

    [Fact]
    public void ToArray_ExactlyTheExpectedLength_ReturnsTheSameArrayWithoutCopying()
    {
        var capture = new ResponseCapture(limit: 1000, expectedLength: 5);
        capture.Append(Bytes("hel"));
        capture.Append(Bytes("lo"));

        var first = capture.ToArray();

        Assert.Same(first, capture.ToArray());
        Assert.Equal("hello", Encoding.ASCII.GetString(first));
    }

    [Fact]
    public void ToArray_ShorterThanExpected_ReturnsOnlyTheCapturedBytes()
    {
        var capture = new ResponseCapture(limit: 1000, expectedLength: 10);
        capture.Append(Bytes("abc"));

        Assert.Equal("abc", Encoding.ASCII.GetString(capture.ToArray()));
    }

    [Fact]
    public void Append_ExactlyTheLimit_DoesNotOverflow()
    {
        var capture = new ResponseCapture(limit: 10, expectedLength: -1);

        capture.Append(Bytes("01234"));
        capture.Append(Bytes("56789"));

        Assert.False(capture.Overflowed);
        Assert.Equal("0123456789", Encoding.ASCII.GetString(capture.ToArray()));
    }

    [Fact]
    public void Append_PastTheLimit_OverflowsAndKeepsNothing()
    {
        var capture = new ResponseCapture(limit: 10, expectedLength: -1);
        capture.Append(Bytes("012345"));

        capture.Append(Bytes("6789A"));
        capture.Append(Bytes("B"));

        Assert.True(capture.Overflowed);
        Assert.Empty(capture.ToArray());
    }

    [Fact]
    public void Append_ExpectedLengthAboveTheLimit_OverflowsOnceTheLimitIsPassed()
    {
        var capture = new ResponseCapture(limit: 8, expectedLength: 100);

        capture.Append(Bytes("12345678"));
        Assert.False(capture.Overflowed);
        capture.Append(Bytes("9"));

        Assert.True(capture.Overflowed);
    }

    [Fact]
    public void Append_GrowingPastTheBudgetOthersHold_AbandonsAndGivesBackWhatItTook()
    {
        var budget = new CaptureBudget(limit: 100_000);
        var other = new ResponseCapture(limit: 1_000_000, expectedLength: -1, budget);
        other.Append(new byte[60_000]);
        long heldByOther = budget.Held;
        var capture = new ResponseCapture(limit: 1_000_000, expectedLength: -1, budget);

        capture.Append(new byte[20_000]);
        Assert.False(capture.Overflowed);
        capture.Append(new byte[40_000]);

        Assert.True(capture.Overflowed);
        Assert.Empty(capture.ToArray());
        Assert.Equal(heldByOther, budget.Held);
        Assert.Equal(1, budget.Refused);
        Assert.False(other.Overflowed);
    }

    [Fact]
    public void Append_AloneLargerThanTheBudget_StillKeptWhenNothingElseHoldsAny()
    {
        var budget = new CaptureBudget(limit: 10_000);
        var capture = new ResponseCapture(limit: 1_000_000, expectedLength: 50_000, budget);

        capture.Append(new byte[50_000]);

        Assert.False(capture.Overflowed);
        Assert.Equal(50_000, capture.ToArray().Length);
    }

    [Fact]
    public void Release_AfterTheCacheTookTheBody_BudgetWholeAgain()
    {
        var budget = new CaptureBudget(limit: 1_000_000);
        var capture = new ResponseCapture(limit: 1_000_000, expectedLength: -1, budget);
        capture.Append(new byte[100_000]);
        Assert.True(budget.Held >= 100_000);

        capture.Release();
        capture.Release();

        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public void Append_WithinTheFirstBuffer_TakesNothingFromTheBudget()
    {
        var budget = new CaptureBudget(limit: 1);
        var capture = new ResponseCapture(limit: 1_000_000, expectedLength: 4_000, budget);

        capture.Append(new byte[4_000]);

        Assert.Equal(0, budget.Held);
        Assert.False(capture.Overflowed);
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
