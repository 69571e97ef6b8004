using InverseProxy.Proxy;

namespace InverseProxy.Tests.Proxy;

public sealed class PasswordCommandTests
{
    [Fact]
    public void Run_PasswordOnInput_PrintsUserLineThatVerifies()
    {
        var output = new StringWriter();

        int exit = PasswordCommand.Run("alice", new StringReader("s3cret pass\n"), output, new StringWriter());

        Assert.Equal(0, exit);
        string line = output.ToString().TrimEnd();
        Assert.StartsWith("alice:pbkdf2-sha256$210000$", line, StringComparison.Ordinal);
        Assert.True(PasswordHash.TryParse(line["alice:".Length..], out int iterations, out byte[] salt, out byte[] hash));
        Assert.True(iterations >= 100_000);
        Assert.Equal(16, salt.Length);
        Assert.True(PasswordHash.Verify("s3cret pass", iterations, salt, hash));
        Assert.False(PasswordHash.Verify("s3cret pasS", iterations, salt, hash));
    }

    [Theory]
    [InlineData("", "pw")]
    [InlineData("a:b", "pw")]
    [InlineData("alice", "")]
    public void Run_BadUserOrNoPassword_Exit2(string user, string input)
    {
        var errors = new StringWriter();

        int exit = PasswordCommand.Run(user, new StringReader(input), new StringWriter(), errors);

        Assert.Equal(2, exit);
        Assert.Contains("--hash-password", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooFewIterations_Refused()
    {
        Assert.False(PasswordHash.TryParse("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", out _, out _, out _));
    }
}
