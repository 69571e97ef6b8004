using InverseProxy.Configuration;

namespace InverseProxy.Tests.Configuration;

public sealed class CompressionConfigTests
{
    [Fact]
    public void Load_CompressionKeys_BoundAtTopLevelAndPerSite()
    {
        using var config = new TempConfig(TempConfig.Targets + """
            compress_types = text/html, application/*
            compress_min_size = 4KB
            [site:api]
            hosts = api.example
            targets = 127.0.0.1:9002
            compression = off
            """);

        var options = config.Load().Options!;

        Assert.True(options.Compression);
        Assert.Equal(["text/html", "application/*"], options.CompressTypes);
        Assert.Equal(4096, options.CompressMinSize);
        var api = options.Sites.Single().Settings;
        Assert.False(api.Compression);
        Assert.Equal(["text/html", "application/*"], api.CompressTypes);
    }

    [Fact]
    public void Defaults_AsTheFeatureIsSpecified()
    {
        var options = new ProxyOptions();

        Assert.True(options.Compression);
        Assert.Equal(["text/*", "application/json", "application/javascript", "application/xml", "image/svg+xml"], options.CompressTypes);
        Assert.Equal(1024, options.CompressMinSize);
    }

    [Theory]
    [InlineData("compress_types = html", "compress_types: 'html' must be a media type like text/html or type/* like text/*")]
    [InlineData("compress_types = */*", "compress_types: '*/*' must be a media type like text/html or type/* like text/*")]
    [InlineData("compress_types = text/html; charset=utf-8", "compress_types: 'text/html; charset=utf-8' must be a media type like text/html or type/* like text/*")]
    [InlineData("compress_min_size = 2GB", "compress_min_size must be a size between 0 and 1GB (was '2GB')")]
    [InlineData("compression = maybe", "compression")]
    public void Load_BadCompressionValue_NamesKeyAndExpectation(string line, string expected)
    {
        using var config = new TempConfig(TempConfig.Targets + line + "\n");

        Assert.Contains(config.Load().Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_BadTypeInSite_NamesSite()
    {
        using var config = new TempConfig(TempConfig.Targets + """
            [site:api]
            hosts = api.example
            targets = 127.0.0.1:9002
            compress_types = nothing
            """);

        Assert.Contains(config.Load().Errors, e => e.Contains("api", StringComparison.Ordinal) && e.Contains("'nothing'", StringComparison.Ordinal));
    }
}
