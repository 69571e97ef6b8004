using System.Text;
using InverseProxy.Caching.Persistence;
using InverseProxy.Caching.Shared;
using static InverseProxy.Tests.Caching.Heads;

namespace InverseProxy.Tests.Caching.Shared;

public sealed class SharedRecordCodecTests
{
    [Fact]
    public void Encode_StoredVariant_IsTheCacheFileRecordAndDecodesToTheSameEntry()
    {
        var (cache, clock) = Cache();
        var entry = Put(cache, clock, Get("/a", ("Accept-Language", "de")), Ok(("Cache-Control", "max-age=60"), ("Vary", "Accept-Language")),
            Encoding.ASCII.GetBytes("hallo"))!;

        byte[] value = SharedRecordCodec.Encode(entry)!;
        var decoded = SharedRecordCodec.Decode(value)!;

        using var file = new MemoryStream();
        CacheFileWriter.WriteRecord(file, entry.Persisted);
        Assert.Equal(file.ToArray(), value);
        Assert.Equal(entry.Key, decoded.Key);
        Assert.Equal(entry.HeadBytes, decoded.HeadBytes);
        Assert.Equal("hallo", Encoding.ASCII.GetString(decoded.Body));
        Assert.Equal(entry.ExpiresAt, decoded.ExpiresAt);
        Assert.Equal(["accept-language"], decoded.VaryNames);
        Assert.Equal("de", Assert.Single(decoded.VaryValues));
    }

    [Fact]
    public void Decode_OneByteChangedOrCutShort_Null()
    {
        var (cache, clock) = Cache();
        var entry = Put(cache, clock, "/a", "body", ("Cache-Control", "max-age=60"))!;
        byte[] value = SharedRecordCodec.Encode(entry)!;

        byte[] flipped = (byte[])value.Clone();
        flipped[value.Length - 10] ^= 1;

        Assert.Null(SharedRecordCodec.Decode(flipped));
        Assert.Null(SharedRecordCodec.Decode(value[..^1]));
        Assert.Null(SharedRecordCodec.Decode([.. value, 0]));
    }
}
