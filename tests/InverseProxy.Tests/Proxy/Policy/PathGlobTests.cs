using InverseProxy.Proxy.Policy;

namespace InverseProxy.Tests.Proxy.Policy;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/admin/**", "/admin/x/y", true)]
    [InlineData("/admin/**", "/Admin/x", true)]
    [InlineData("/admin/**", "/administrator", false)]
    [InlineData("/admin/*", "/admin/x", true)]
    [InlineData("/admin/*", "/admin/x/y", false)]
    [InlineData("/*.php", "/index.php", true)]
    [InlineData("/*.php", "/a/index.php", false)]
    [InlineData("/**.php", "/a/index.php", true)]
    [InlineData("**/.git/**", "/repo/.git/config", true)]
    [InlineData("/a+b(c)", "/a+b(c)", true)]
    [InlineData("/a+b(c)", "/aab(c)", false)]
    public void Compile_Glob_MatchesPath(string glob, string path, bool expected)
    {
        var regex = PathGlob.Compile([glob])!;

        Assert.Equal(expected, regex.IsMatch(path));
    }

    [Theory]
    [InlineData("/x?q=/admin/y", "/x")]
    [InlineData("/%61dmin/%2Fx", "/admin/%2Fx")]
    [InlineData("/a%7e%5F%zz%4", "/a~_%zz%4")]
    public void Of_PathAndQuery_QueryCutUnreservedDecoded(string pathAndQuery, string expected)
    {
        Assert.Equal(expected, PolicyPath.Of(pathAndQuery).ToString());
    }

    [Theory]
    [InlineData("/ok", true)]
    [InlineData("**/x", true)]
    [InlineData("admin", false)]
    [InlineData("", false)]
    public void IsValid_Glob(string glob, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsValid(glob));
    }
}
