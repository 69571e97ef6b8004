using System.Text;
using InverseProxy.Http;

namespace InverseProxy.Tests.Http;

public sealed class RecentStringsTests
{
    [Fact]
    public void Get_SameBytesFromTwoBuffers_OneInstance()
    {
        byte[] first = Encoding.ASCII.GetBytes("/assets/app.js?v=12");
        byte[] second = Encoding.ASCII.GetBytes("/assets/app.js?v=12");

        Assert.Same(RecentStrings.Get(first), RecentStrings.Get(second));
    }

    [Fact]
    public void Get_ThousandsOfDistinctValues_EachDecodedToItsOwnText()
    {
        // Far more values than slots: collisions overwrite slots, and every answer must still be the bytes' text.
        var texts = Enumerable.Range(0, 20_000).Select(i => $"/item/{i}?p={i * 7}").ToArray();
        foreach (string text in texts.Concat(texts.Reverse()))
        {
            Assert.Equal(text, RecentStrings.Get(Encoding.ASCII.GetBytes(text)));
        }
    }

    [Fact]
    public void Get_ObsTextBytes_DecodedOneCharPerByte()
    {
        byte[] bytes = [(byte)'a', 0xE9, 0xFF];

        Assert.Equal("a\u00E9\u00FF", RecentStrings.Get(bytes));
    }

    [Fact]
    public void Get_LongerThanTheLimit_DecodedButNotShared()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(new string('x', RecentStrings.MaxLength + 1));

        string first = RecentStrings.Get(bytes);

        Assert.Equal(new string('x', RecentStrings.MaxLength + 1), first);
        Assert.NotSame(first, RecentStrings.Get(bytes));
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("proxy-authorization")]
    [InlineData("Cookie")]
    [InlineData("Set-Cookie")]
    public void HeaderValue_Credentials_NeverShared(string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes("Basic dXNlcjpzZWNyZXQ=");

        string first = KnownStrings.HeaderValue(name, bytes);

        Assert.Equal("Basic dXNlcjpzZWNyZXQ=", first);
        Assert.NotSame(first, KnownStrings.HeaderValue(name, bytes));
    }

    [Fact]
    public void HeaderValue_OtherFields_Shared()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("Mozilla/5.0 (X11; Linux x86_64)");

        Assert.Same(KnownStrings.HeaderValue("User-Agent", bytes), KnownStrings.HeaderValue("User-Agent", bytes));
    }
}
