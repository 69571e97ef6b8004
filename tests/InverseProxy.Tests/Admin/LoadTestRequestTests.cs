using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class LoadTestRequestTests
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(30);

    [Fact]
    public void Parse_EveryField_Request()
    {
        var (request, error) = LoadTestRequest.Parse("path=%2Fa%3Fb%3D1&host=shop.example:8080&connections=50&duration=30s", 50, MaxDuration);

        Assert.Null(error);
        Assert.Equal(new LoadTestRequest("/a?b=1", "shop.example:8080", 50, TimeSpan.FromSeconds(30)), request);
    }

    [Fact]
    public void Parse_Empty_Defaults()
    {
        var (request, _) = LoadTestRequest.Parse("", 50, MaxDuration);

        Assert.Equal(new LoadTestRequest("/", null, 10, TimeSpan.FromSeconds(10)), request);
    }

    [Theory]
    [InlineData("connections=0", "connections must be a whole number from 1 to 5 (admin_loadtest_connections) (was '0')")]
    [InlineData("connections=6", "connections must be a whole number from 1 to 5 (admin_loadtest_connections) (was '6')")]
    [InlineData("connections=2&duration=1m", "duration must be from 1s to 30s (admin_loadtest_duration) (was '1m')")]
    [InlineData("connections=2&duration=0s", "duration must be from 1s to 30s (admin_loadtest_duration) (was '0s')")]
    [InlineData("connections=2&path=//evil.example/x", "path must start with a single / and be printable ASCII of at most 2048 characters (was '//evil.example/x')")]
    [InlineData("connections=2&path=x", "path must start with a single / and be printable ASCII of at most 2048 characters (was 'x')")]
    [InlineData("connections=2&path=/a%20b", "path must start with a single / and be printable ASCII of at most 2048 characters (was '/a b')")]
    [InlineData("connections=2&host=a/b", "host must be a host name, optionally with :port (was 'a/b')")]
    public void Parse_OutOfBounds_ErrorNamesTheParameter(string query, string expected)
    {
        var (request, error) = LoadTestRequest.Parse(query, 5, MaxDuration);

        Assert.Null(request);
        Assert.Equal(expected, error);
    }
}
