using InverseProxy.Caching.Persistence;

namespace InverseProxy.Tests.Caching.Persistence;

public sealed class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_MatchesIeeeCheckValue()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Append_SplitAtEveryOffset_EqualsWholeComputation()
    {
        byte[] data = new byte[37];
        new Random(7).NextBytes(data);
        uint whole = Crc32.Compute(data);
        for (int split = 0; split <= data.Length; split++)
        {
            Assert.Equal(whole, Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Compute_QuickBrownFox_MatchesKnownValue()
    {
        Assert.Equal(0x414FA339u, Crc32.Compute("The quick brown fox jumps over the lazy dog"u8));
    }
}
