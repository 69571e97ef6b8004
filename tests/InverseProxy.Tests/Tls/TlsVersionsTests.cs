using System.Security.Authentication;
using InverseProxy.Tls;

namespace InverseProxy.Tests.Tls;

public sealed class TlsVersionsTests
{
    [Theory]
    [InlineData("TLSv1.2", SslProtocols.Tls12)]
    [InlineData("tlsv1.3", SslProtocols.Tls13)]
    public void TryParse_NamedVersion_Parses(string text, SslProtocols expected)
    {
        Assert.True(TlsVersions.TryParse(text, out var version));
        Assert.Equal(expected, version);
    }

    [Theory]
    [InlineData("TLSv1")]
    [InlineData("TLSv1.1")]
    [InlineData("SSLv3")]
    [InlineData("1.2")]
    public void TryParse_DeprecatedOrUnknown_Refused(string text)
    {
        Assert.False(TlsVersions.TryParse(text, out _));
    }

    [Fact]
    public void Format_BothVersions_ReadsBack()
    {
        Assert.Equal("TLSv1.2, TLSv1.3", TlsVersions.Format(SslProtocols.Tls12 | SslProtocols.Tls13));
    }
}
