using InverseProxy.Admin;

namespace InverseProxy.Tests.Admin;

public sealed class AdminTokenTests
{
    [Theory]
    [InlineData("Bearer s3cret")]
    [InlineData("bearer s3cret")]
    [InlineData("Bearer  s3cret ")]
    public void Accepts_RightToken_True(string authorization)
    {
        Assert.True(AdminToken.Accepts("s3cret", authorization));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer s3cre")]
    [InlineData("Bearer s3cret2")]
    [InlineData("Bearer S3CRET")]
    [InlineData("Basic czNjcmV0")]
    [InlineData("s3cret")]
    public void Accepts_MissingOrWrongToken_False(string? authorization)
    {
        Assert.False(AdminToken.Accepts("s3cret", authorization));
    }

    [Fact]
    public void Accepts_NoTokenConfigured_True()
    {
        Assert.True(AdminToken.Accepts("", null));
    }
}
