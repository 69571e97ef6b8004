using System.Text;
using InverseProxy.LoadTest;

namespace InverseProxy.Tests.LoadTest;

public sealed class LoadTestArgumentsTests
{
    private static readonly Func<string, byte[]> NoFiles = path => throw new FileNotFoundException("no such file", path);

    [Fact]
    public void Parse_EveryOption_Plan()
    {
        var (plan, error) = LoadTestArguments.Parse(
            ["http://127.0.0.1:8080/x?y=1", "--connections", "20", "--duration", "30s", "--method", "POST", "--body", "b.json",
             "--header", "Content-Type: application/json", "--header", "X-Test:  one "],
            path => path == "b.json" ? Encoding.UTF8.GetBytes("{}") : throw new FileNotFoundException());

        Assert.Null(error);
        Assert.NotNull(plan);
        Assert.Equal(new Uri("http://127.0.0.1:8080/x?y=1"), plan.Url);
        Assert.Equal(20, plan.Connections);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Duration);
        Assert.Equal("POST", plan.Method);
        Assert.Equal("{}"u8.ToArray(), plan.Body);
        Assert.Equal([new("Content-Type", "application/json"), new("X-Test", "one")], plan.Headers);
    }

    [Fact]
    public void Parse_UrlOnly_Defaults()
    {
        var (plan, _) = LoadTestArguments.Parse(["http://localhost/"], NoFiles);

        Assert.NotNull(plan);
        Assert.Equal(LoadTestArguments.DefaultConnections, plan.Connections);
        Assert.Equal(LoadTestArguments.DefaultDuration, plan.Duration);
        Assert.Equal("GET", plan.Method);
        Assert.Null(plan.Body);
        Assert.Empty(plan.Headers);
    }

    [Theory]
    [InlineData("URL is missing", "--connections", "2")]
    [InlineData("URL must be an absolute http:// URL (was 'ftp://h/')", "ftp://h/")]
    [InlineData("URL must be an absolute http:// URL (was '/relative')", "/relative")]
    [InlineData("unexpected argument 'http://b/'", "http://a/", "http://b/")]
    [InlineData("--connections must be a whole number from 1 to 1000 (was '0')", "http://a/", "--connections", "0")]
    [InlineData("--connections must be a whole number from 1 to 1000 (was '1001')", "http://a/", "--connections", "1001")]
    [InlineData("--connections must be a whole number from 1 to 1000 (was '-3')", "http://a/", "--connections", "-3")]
    [InlineData("--duration must be a duration from 1s to 10m, like 30s (was '11m')", "http://a/", "--duration", "11m")]
    [InlineData("--duration must be a duration from 1s to 10m, like 30s (was '500ms')", "http://a/", "--duration", "500ms")]
    [InlineData("--duration must be a duration from 1s to 10m, like 30s (was 'soon')", "http://a/", "--duration", "soon")]
    [InlineData("--method must be an HTTP method token, like GET or POST (was 'G T')", "http://a/", "--method", "G T")]
    [InlineData("--header must be 'Name: value' with a token name and no control characters (was 'novalue')", "http://a/", "--header", "novalue")]
    [InlineData("--header must be 'Name: value' with a token name and no control characters (was 'X: a\\r\\nEvil: 1')", "http://a/", "--header", "X: a\r\nEvil: 1")]
    [InlineData("--body must name a readable file (was 'missing.bin'", "http://a/", "--body", "missing.bin")]
    [InlineData("--connections needs a value", "http://a/", "--connections")]
    [InlineData("unknown option '--rate'", "http://a/", "--rate", "5")]
    public void Parse_BadArgument_ErrorNamesIt(string expected, params string[] args)
    {
        var (plan, error) = LoadTestArguments.Parse(args, NoFiles);

        Assert.Null(plan);
        Assert.NotNull(error);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
